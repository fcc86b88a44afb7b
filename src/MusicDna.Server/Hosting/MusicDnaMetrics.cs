using System.Diagnostics.Metrics;
using MusicDna.Engine;

namespace MusicDna.Server.Hosting;

/// <summary>
/// MusicDna's own instruments (meter "MusicDna"). Per-RPC request counts and latencies come from ASP.NET Core's
/// <c>http.server.request.duration</c>, whose <c>http.route</c> is the gRPC method path.
/// </summary>
public sealed class MusicDnaMetrics
{
    public const string MeterName = "MusicDna";

    private readonly Counter<long> _ingestedRows;
    private readonly Counter<long> _rejectedRows;
    private readonly Counter<long> _trainEpochs;

    public MusicDnaMetrics(IMeterFactory meterFactory, ModelSnapshotHolder snapshots)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _ingestedRows = meter.CreateCounter<long>("musicdna.ingest.rows", "{row}", "Rows accepted by BulkIngest (inserted or updated)");
        _rejectedRows = meter.CreateCounter<long>("musicdna.ingest.rejected", "{row}", "Rows refused by BulkIngest");
        _trainEpochs = meter.CreateCounter<long>("musicdna.train.epochs", "{epoch}", "Training epochs completed");
        meter.CreateObservableGauge("musicdna.model.version", () => snapshots.CurrentVersion, null, "Version of the serving model (0 = none)");
        meter.CreateObservableGauge("musicdna.index.size", () => IndexSize(snapshots), "{track}", "Tracks in the serving index");
    }

    public void Ingested(IngestSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        _ingestedRows.Add(summary.Inserted + summary.Updated);
        _rejectedRows.Add(summary.Rejected);
    }

    public void EpochCompleted() => _trainEpochs.Add(1);

    private static long IndexSize(ModelSnapshotHolder snapshots)
    {
        using var lease = snapshots.TryAcquire();
        return lease?.Snapshot.Index.Count ?? 0;
    }
}
