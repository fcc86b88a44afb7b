namespace MusicDna.Engine.Map;

/// <summary>
/// The whole sonic map as read from one snapshot, in catalogue row id order: one entry per placed track (its id,
/// position and genre).
/// </summary>
public sealed record SonicMapView(long ModelVersion, string Layout, IReadOnlyList<SonicMapPoint> Points);

/// <summary>One track on the map.</summary>
public readonly record struct SonicMapPoint(string TrackId, string Genre, MapPosition Position);
