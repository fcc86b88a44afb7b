using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend;

/// <summary>A qualifying track found by a search: its row, its score under the seed strategy, and its facts.</summary>
internal readonly record struct Candidate(long RowId, float Score, TrackFacts Facts);
