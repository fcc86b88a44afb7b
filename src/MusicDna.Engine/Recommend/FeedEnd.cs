namespace MusicDna.Engine.Recommend;

/// <summary>
/// The close of a feed page. <see cref="Exhausted"/>: no qualifying track is left after it;
/// <see cref="NextPageToken"/> continues the feed (empty when exhausted).
/// </summary>
public sealed record FeedEnd(
    long ModelVersion,
    int Returned,
    bool Exhausted,
    string NextPageToken,
    IReadOnlyList<string> SkippedSeedIds,
    long CandidatesExamined) : FeedEvent;
