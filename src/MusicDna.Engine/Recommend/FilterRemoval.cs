namespace MusicDna.Engine.Recommend;

/// <summary>How many examined tracks one stage kept out of the feed (<see cref="RemovalStage"/>, by its contract name).</summary>
public sealed record FilterRemoval(string Stage, long Removed);
