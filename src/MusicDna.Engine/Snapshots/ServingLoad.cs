namespace MusicDna.Engine.Snapshots;

/// <summary>What a load of the newest model left serving.</summary>
/// <param name="Version">The serving model version (0 = none).</param>
/// <param name="ReplayFrom">When the tracks were read from a table saved at an older catalogue revision: that revision,
/// from which the catalogue's changes must be applied to bring the snapshot up to date. Null when it is up to date.</param>
public sealed record ServingLoad(long Version, long? ReplayFrom);
