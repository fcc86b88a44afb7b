namespace MusicDna.Engine.Recommend;

/// <summary>
/// The close of a feed page. <see cref="Exhausted"/>: no qualifying track is left after it;
/// <see cref="NextPageToken"/> continues the feed (empty when exhausted). The diagnostics say what the search
/// examined, what passed, what each stage removed and, for a short page, which stage limited it.
/// </summary>
public sealed record FeedEnd(
    long ModelVersion,
    int Returned,
    bool Exhausted,
    string NextPageToken,
    IReadOnlyList<string> SkippedSeedIds,
    long CandidatesExamined) : FeedEvent
{
    /// <summary>Candidates that passed every filter (one per song when songs are collapsed).</summary>
    public long CandidatesPassed { get; init; }

    /// <summary>Per <see cref="RemovalStage"/> that removed anything, in check order.</summary>
    public IReadOnlyList<FilterRemoval> Removals { get; init; } = [];

    /// <summary>For a page shorter than asked: the stage that limited it (see <see cref="FeedDiagnostics.LimitedBy"/>); else empty.</summary>
    public string LimitedBy { get; init; } = "";
}
