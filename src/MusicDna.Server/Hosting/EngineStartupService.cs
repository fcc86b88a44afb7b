using Microsoft.Extensions.Options;
using MusicDna.Catalogue;
using MusicDna.Core.Errors;
using MusicDna.Core.Tracks;
using MusicDna.Engine;
using MusicDna.Engine.Ingest;
using MusicDna.Engine.Snapshots;
using MusicDna.Engine.Training;
using MusicDna.Index;
using MusicDna.Model;

namespace MusicDna.Server.Hosting;

/// <summary>
/// Start-up: loads the newest model and rebuilds its index before the server takes calls; then, in the
/// background, seeds an empty catalogue from the bootstrap CSV and trains a first model where none exists.
/// At shutdown, saves the serving tracks beside the model, so the next start reads them whole.
/// </summary>
internal sealed class EngineStartupService(
    EngineOptions engineOptions,
    IOptions<BootstrapOptions> bootstrapOptions,
    ITrackCatalogue catalogue,
    ServingPublisher publisher,
    CatalogueReplication replication,
    Ingestor ingestor,
    ModelSnapshotHolder snapshots,
    TrainingWorkflow training,
    IHostEnvironment environment,
    ILogger<EngineStartupService> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        VectorIndex.SetThreads(engineOptions.SearchThreads);
        // A replica of a shared catalogue notes the change position before it loads, and follows from there.
        var version = replication.Follower is { } follower
            ? await follower.LoadAsync(cancellationToken)
            : await publisher.LoadLatestAsync(cancellationToken);
        ServerLog.Ready(logger, catalogue.Location, await ServedCountAsync(cancellationToken), version);
        await base.StartAsync(cancellationToken);
    }

    // The serving snapshot holds every catalogue track: its count costs nothing, while counting a large SQLite table
    // whose pages are not cached reads the whole table before the server may listen.
    private async Task<long> ServedCountAsync(CancellationToken cancellationToken)
    {
        using var lease = snapshots.TryAcquire();
        return lease?.Snapshot.TrackCount ?? await catalogue.CountAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await publisher.SaveServedTableAsync(replication.Follower?.Position, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or UnavailableException or CatalogueUnavailableException)
        {
            // Out of time, or the catalogue cannot say its revision: the next start reads the catalogue whole.
            ServerLog.ServedTableNotSaved(logger, e.GetType().Name);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await SeedCatalogueAsync(stoppingToken);
            await TrainFirstModelAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down mid-bootstrap: committed rows stay, an unfinished model is not published.
        }
        catch (Exception e)
        {
            ServerLog.BootstrapFailed(logger, e);
        }
    }

    private async Task SeedCatalogueAsync(CancellationToken cancellationToken)
    {
        var csv = bootstrapOptions.Value.CatalogueCsv;
        if (string.IsNullOrWhiteSpace(csv) || await catalogue.CountAsync(cancellationToken) > 0)
        {
            return;
        }

        var path = Path.IsPathRooted(csv) ? csv : Path.Combine(environment.ContentRootPath, csv);
        if (!File.Exists(path))
        {
            ServerLog.BootstrapFileMissing(logger, path);
            return;
        }

        ServerLog.BootstrapIngesting(logger, path);
        await using var session = ingestor.OpenSession();
        await using var stream = File.OpenRead(path);
        var batch = new List<IngestRow>(IngestSession.CommitSize);
        await foreach (var row in SpotifyCsvReader.ReadAsync(stream, cancellationToken))
        {
            batch.Add(row.Track is { } track ? IngestRow.Valid(track) : IngestRow.Invalid("", row.Error!));
            if (batch.Count == IngestSession.CommitSize)
            {
                await session.AddAsync(batch, cancellationToken);
                batch.Clear();
            }
        }

        await session.AddAsync(batch, cancellationToken);
        var summary = await session.CompleteAsync(cancellationToken);
        ServerLog.BootstrapIngested(logger, summary.Received, summary.Inserted, summary.Updated, summary.Rejected);
    }

    private async Task TrainFirstModelAsync(CancellationToken cancellationToken)
    {
        var tracks = await catalogue.CountAsync(cancellationToken);
        if (!bootstrapOptions.Value.TrainWhenNoModel || snapshots.CurrentVersion > 0 || tracks < engineOptions.MinimumTrainingTracks)
        {
            return;
        }

        ServerLog.BootstrapTraining(logger, tracks);
        try
        {
            await TrainAsync(cancellationToken);
        }
        catch (ConflictException)
        {
            // Another replica of the shared catalogue trains the first model; the follower loads it when published.
            ServerLog.BootstrapTrainingElsewhere(logger);
        }
    }

    private async Task TrainAsync(CancellationToken cancellationToken)
    {
        await foreach (var item in training.RunAsync(new AutoencoderConfig(), new TrainingOptions(), cancellationToken))
        {
            switch (item)
            {
                case EpochCompleted { Progress: var p }:
                    ServerLog.TrainingEpoch(logger, p.Epoch, p.Epochs, p.TrainLoss, p.ValidationLoss);
                    break;
                case ModelPublished { Outcome: var published }:
                    ServerLog.BootstrapTrained(logger, published.Manifest.Version, published.Manifest.Metrics.TestMse);
                    break;
            }
        }
    }
}
