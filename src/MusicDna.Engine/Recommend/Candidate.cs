using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// A qualifying track found by a search: its row, its score under the seed strategy (the readable similarity of
/// <see cref="SimilarityScale"/>), the raw cosine score that score came from, and its facts.
/// </summary>
internal readonly record struct Candidate(long RowId, float Score, float Cosine, TrackFacts Facts)
{
    /// <summary>How many versions its song has in the table, when the search already counted them (null: not counted).</summary>
    public int? Versions { get; init; }
}
