namespace MusicDna.Engine.Deletes;

/// <summary>What a DeleteTracks call did: tracks deleted, the ids that were not there (allowed missing), and the serving model.</summary>
public sealed record DeleteSummary(long Deleted, IReadOnlyList<string> MissingTrackIds, long ModelVersion);
