namespace MusicDna.Core.Tracks;

/// <summary>A catalogue track: its metadata and its 12 raw audio features in <see cref="Features.FeatureSchema"/> order.</summary>
public sealed record Track(
    string TrackId,
    string Name,
    IReadOnlyList<string> Artists,
    string Album,
    string Genre,
    int Popularity,
    bool Explicit,
    long DurationMs,
    double[] Features);
