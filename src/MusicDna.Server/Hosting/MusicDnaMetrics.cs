using System.Diagnostics.Metrics;
using MusicDna.Engine;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Server.Hosting;

/// <summary>
/// MusicDna's own instruments (meter "MusicDna"), observed from the engine's <see cref="EngineCounters"/> and the
/// serving snapshot. Per-RPC request counts and latencies come from ASP.NET Core's <c>http.server.request.duration</c>,
/// whose <c>http.route</c> is the gRPC method path.
/// </summary>
public sealed class MusicDnaMetrics
{
    public const string MeterName = "MusicDna";

    private readonly Counter<long> _refused;

    public MusicDnaMetrics(IMeterFactory meterFactory, ModelSnapshotHolder snapshots, EngineCounters counters)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(counters);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableCounter("musicdna.ingest.rows", () => counters.RowsIngested, "{row}", "Rows committed by ingest (inserted or updated)");
        meter.CreateObservableCounter("musicdna.ingest.rejected", () => counters.RowsRejected, "{row}", "Rows refused by ingest");
        meter.CreateObservableCounter("musicdna.train.epochs", () => counters.EpochsTrained, "{epoch}", "Training epochs completed");
        meter.CreateObservableCounter("musicdna.recommend.feeds.completed", () => counters.FeedsCompleted, "{feed}", "Recommend pages streamed to the end");
        meter.CreateObservableCounter("musicdna.recommend.feeds.abandoned", () => counters.FeedsAbandoned, "{feed}", "Recommend pages their caller stopped early (cancelled, deadline, gone)");
        meter.CreateObservableCounter("musicdna.tracks.deleted", () => counters.RowsDeleted, "{track}", "Tracks deleted through this replica");
        meter.CreateObservableCounter("musicdna.catalogue.changes.applied", () => counters.ChangesApplied, "{track}", "Tracks changed in memory from what other replicas wrote to the shared catalogue");
        meter.CreateObservableCounter("musicdna.recommend.rows", () => counters.RowsStreamed, "{row}", "Recommend rows produced");
        meter.CreateObservableCounter("musicdna.index.builds", () => counters.IndexesBuilt, "{index}", "Serving indexes built over the whole catalogue (a new model, or no usable saved index)");
        meter.CreateObservableCounter("musicdna.index.loads", () => counters.IndexesLoaded, "{index}", "Serving indexes loaded from the file saved beside their model");
        _refused = meter.CreateCounter<long>("musicdna.requests.refused", "{request}", "Calls refused with a MusicDna error, by status code and reason");
        meter.CreateObservableCounter("musicdna.requests.unreadable", () => Grpc.StrictMessageBinder.Refused, "{message}", "Request messages refused before any handler: not valid protobuf, or too large");
        meter.CreateObservableGauge("musicdna.model.version", () => snapshots.CurrentVersion, null, "Version of the serving model (0 = none)");
        meter.CreateObservableGauge("musicdna.index.size", () => IndexSize(snapshots), "{track}", "Tracks in the serving index");
    }

    /// <summary>Counts a refused call; a client's bad input costs a counter increment, not a log line.</summary>
    public void Refused(string code, string reason) =>
        _refused.Add(1, new KeyValuePair<string, object?>("code", code), new KeyValuePair<string, object?>("reason", reason));

    private static long IndexSize(ModelSnapshotHolder snapshots)
    {
        using var lease = snapshots.TryAcquire();
        return lease?.Snapshot.TrackCount ?? 0;
    }
}
