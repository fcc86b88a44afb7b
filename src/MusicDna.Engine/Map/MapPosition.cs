namespace MusicDna.Engine.Map;

/// <summary>A track's place on the sonic map, in the layout's own units.</summary>
public readonly record struct MapPosition(float X, float Y);
