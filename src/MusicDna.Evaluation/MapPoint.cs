namespace MusicDna.Evaluation;

/// <summary>One track on the map: its projected coordinates and its position in the map's genre legend.</summary>
public sealed record MapPoint(float X, float Y, int Genre);
