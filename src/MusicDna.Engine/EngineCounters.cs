namespace MusicDna.Engine;

/// <summary>
/// Running totals of the engine's work, read by the host's metrics (exported at /metrics) and by tests: Recommend
/// pages finished and abandoned by their caller (cancelled, deadline passed, connection gone) with the rows those
/// had produced when work stopped, rows ingested and refused, training epochs run, serving indexes built and loaded, snapshots read from their saved table or from the catalogue.
/// </summary>
public sealed class EngineCounters
{
    private long _feedsCompleted;
    private long _feedsAbandoned;
    private long _rowsStreamed;
    private long _rowsStreamedByAbandoned;
    private long _rowsIngested;
    private long _rowsRejected;
    private long _epochsTrained;
    private long _indexesBuilt;
    private long _indexesLoaded;
    private long _rowsDeleted;
    private long _changesApplied;
    private long _tablesLoaded;
    private long _cataloguePasses;

    public long FeedsCompleted => Interlocked.Read(ref _feedsCompleted);

    public long FeedsAbandoned => Interlocked.Read(ref _feedsAbandoned);

    public long RowsStreamed => Interlocked.Read(ref _rowsStreamed);

    /// <summary>Rows the abandoned feeds had produced in all before they stopped.</summary>
    public long RowsStreamedByAbandonedFeeds => Interlocked.Read(ref _rowsStreamedByAbandoned);

    /// <summary>Rows committed by ingest (inserted or updated).</summary>
    public long RowsIngested => Interlocked.Read(ref _rowsIngested);

    /// <summary>Rows ingest refused as invalid.</summary>
    public long RowsRejected => Interlocked.Read(ref _rowsRejected);

    public long EpochsTrained => Interlocked.Read(ref _epochsTrained);

    /// <summary>Serving indexes built over a whole catalogue (a new model, or no usable saved index).</summary>
    public long IndexesBuilt => Interlocked.Read(ref _indexesBuilt);

    /// <summary>Serving indexes loaded from the file saved beside their model.</summary>
    public long IndexesLoaded => Interlocked.Read(ref _indexesLoaded);

    /// <summary>Tracks deleted through this replica.</summary>
    public long RowsDeleted => Interlocked.Read(ref _rowsDeleted);

    /// <summary>Tracks changed in memory from what other replicas wrote to a shared catalogue.</summary>
    public long ChangesApplied => Interlocked.Read(ref _changesApplied);

    /// <summary>Snapshots whose tracks were read whole from the table saved beside their model.</summary>
    public long TablesLoaded => Interlocked.Read(ref _tablesLoaded);

    /// <summary>Snapshots whose tracks were read row by row from the catalogue.</summary>
    public long CataloguePasses => Interlocked.Read(ref _cataloguePasses);

    internal void RowStreamed() => Interlocked.Increment(ref _rowsStreamed);

    internal void FeedCompleted() => Interlocked.Increment(ref _feedsCompleted);

    internal void FeedAbandoned(int rows)
    {
        // Rows first: a reader that sees the new abandoned count also sees its rows.
        Interlocked.Add(ref _rowsStreamedByAbandoned, rows);
        Interlocked.Increment(ref _feedsAbandoned);
    }

    internal void Ingested(long rows) => Interlocked.Add(ref _rowsIngested, rows);

    internal void Rejected() => Interlocked.Increment(ref _rowsRejected);

    internal void EpochTrained() => Interlocked.Increment(ref _epochsTrained);

    internal void IndexBuilt() => Interlocked.Increment(ref _indexesBuilt);

    internal void IndexLoaded() => Interlocked.Increment(ref _indexesLoaded);

    internal void Deleted(long rows) => Interlocked.Add(ref _rowsDeleted, rows);

    internal void TableLoaded() => Interlocked.Increment(ref _tablesLoaded);

    internal void CataloguePassed() => Interlocked.Increment(ref _cataloguePasses);

    internal void Applied(long rows) => Interlocked.Add(ref _changesApplied, rows);
}
