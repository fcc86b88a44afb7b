namespace MusicDna.Engine;

/// <summary>
/// Running totals of Recommend feeds, for operators and tests: how many pages finished, how many the caller
/// abandoned (cancelled, deadline passed, connection gone) and how many rows those had streamed when work stopped.
/// </summary>
public sealed class RecommendCounters
{
    private long _completed;
    private long _abandoned;
    private long _rowsStreamed;
    private long _rowsStreamedByAbandoned;

    public long FeedsCompleted => Interlocked.Read(ref _completed);

    public long FeedsAbandoned => Interlocked.Read(ref _abandoned);

    public long RowsStreamed => Interlocked.Read(ref _rowsStreamed);

    /// <summary>Rows the abandoned feeds had produced in all before they stopped.</summary>
    public long RowsStreamedByAbandonedFeeds => Interlocked.Read(ref _rowsStreamedByAbandoned);

    internal void RowStreamed() => Interlocked.Increment(ref _rowsStreamed);

    internal void FeedCompleted() => Interlocked.Increment(ref _completed);

    internal void FeedAbandoned(int rows)
    {
        // Rows first: a reader that sees the new abandoned count also sees its rows.
        Interlocked.Add(ref _rowsStreamedByAbandoned, rows);
        Interlocked.Increment(ref _abandoned);
    }
}
