using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MusicDna.Catalogue;
using MusicDna.Core.Errors;
using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Snapshots;
using MusicDna.Model;

namespace MusicDna.Engine.Training;

/// <summary>
/// One Train call: catalogue → seeded split → pipeline fitted on the training rows only → autoencoder →
/// publication. The training rows' genres go to the trainer for the optional genre term
/// (<see cref="TrainingOptions.GenreWeight"/>); the published encoder reads audio features only. One run at a time
/// in this process and, through the <see cref="ITrainingLock"/>, wherever the catalogue is shared; a run stopped
/// before publication (its token cancelled, or its consumer gone) leaves the serving model untouched.
/// </summary>
public sealed class TrainingWorkflow(
    ITrackCatalogue catalogue,
    ITrainingLock trainingLock,
    ServingPublisher publisher,
    EngineOptions options,
    EngineCounters counters,
    ILogger<TrainingWorkflow> logger) : IDisposable
{
    private readonly SemaphoreSlim _single = new(1, 1);
    private Guid _runningId;

    /// <summary>
    /// Trains and publishes a model, yielding each epoch as it finishes and then the published model. The options
    /// are checked and the one-run-at-a-time rule applied when enumeration starts. Training runs on a thread of its
    /// own, off the thread pool that serves requests.
    /// </summary>
    public async IAsyncEnumerable<TrainingEvent> RunAsync(
        AutoencoderConfig config,
        TrainingOptions trainingOptions,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(trainingOptions);
        config.Validate();
        trainingOptions.Validate();
        DeviceSelector.Select(trainingOptions.Device);
        if (!await _single.WaitAsync(0, CancellationToken.None).ConfigureAwait(false))
        {
            throw new ConflictException(
                "TRAINING_IN_PROGRESS", $"Training run {_runningId} is in progress; only one runs at a time.");
        }

        IAsyncDisposable? clusterLease;
        try
        {
            clusterLease = await trainingLock.TryAcquireAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _single.Release();
            throw;
        }

        if (clusterLease is null)
        {
            _single.Release();
            throw new ConflictException(
                "TRAINING_IN_PROGRESS", "Another replica sharing this catalogue is training; only one Train runs at a time.");
        }

        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var epochs = Channel.CreateUnbounded<EpochProgress>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var run = RunToEndAsync();

            async Task<TrainingOutcome> RunToEndAsync()
            {
                try
                {
                    return await TrainAndPublishAsync(config, trainingOptions, new ChannelProgress(epochs.Writer), stop.Token).ConfigureAwait(false);
                }
                finally
                {
                    epochs.Writer.TryComplete();
                }
            }

            var published = false;
            try
            {
                // The channel completes when the run ends, however it ends.
                await foreach (var epoch in epochs.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    counters.EpochTrained();
                    yield return new EpochCompleted(epoch);
                }

                var outcome = await run.ConfigureAwait(false);
                published = true;
                yield return new ModelPublished(outcome);
            }
            finally
            {
                if (!published)
                {
                    // The consumer stopped early or the run failed: stop training (publication, once begun, finishes).
                    await stop.CancelAsync().ConfigureAwait(false);
                    await run.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await clusterLease.DisposeAsync().ConfigureAwait(false);
            _single.Release();
        }
    }

    private async Task<TrainingOutcome> TrainAndPublishAsync(
        AutoencoderConfig config, TrainingOptions trainingOptions, IProgress<EpochProgress> progress, CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid();
        _runningId = runId;
        using var activity = EngineTracing.Source.StartActivity("musicdna.train");
        activity?.SetTag("musicdna.run_id", runId.ToString());
        try
        {
            var started = Stopwatch.StartNew();
            var rows = new List<double[]>();
            var genres = new List<int>();
            var genreIds = new Dictionary<string, int>(StringComparer.Ordinal);
            await foreach (var entry in catalogue.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(entry.Track.Features);
                if (!genreIds.TryGetValue(entry.Track.Genre, out var genre))
                {
                    genre = genreIds.Count;
                    genreIds.Add(entry.Track.Genre, genre);
                }

                genres.Add(genre);
            }

            if (rows.Count < options.MinimumTrainingTracks)
            {
                throw new PreconditionFailedException(
                    "TOO_FEW_TRACKS",
                    $"The catalogue holds {rows.Count} tracks; training needs at least {options.MinimumTrainingTracks}. Ingest more tracks first.");
            }

            var split = DataSplit.Create(
                rows.Count, trainingOptions.ValidationFraction, trainingOptions.TestFraction, trainingOptions.Seed);
            EngineLog.TrainingStarted(logger, runId, rows.Count, split.Train.Length, split.Validation.Length, split.Test.Length);

            var trainRows = Pick(rows, split.Train);
            var pipeline = FeaturePipeline.Fit(trainRows);
            var data = new TrainingData(
                pipeline.TransformMany(trainRows),
                pipeline.TransformMany(Pick(rows, split.Validation)),
                pipeline.TransformMany(Pick(rows, split.Test)),
                FeatureSchema.Count)
            {
                TrainGenres = [.. split.Train.Select(i => genres[i])],
                GenreCount = genreIds.Count,
            };

            // Training is CPU-bound native work: keep it off the thread pool that serves requests.
            var result = await Task.Factory.StartNew(
                () => new AutoencoderTrainer().Train(config, trainingOptions, data, progress, cancellationToken),
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).ConfigureAwait(false);

            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Version and creation time are assigned by the store when it publishes.
                var metrics = ModelMetrics.From(result) with { Duration = started.Elapsed };
                var manifest = new ModelManifest(0, default, config, trainingOptions, pipeline.Parameters, metrics);
                var outcome = await publisher.PublishModelAsync(manifest, result.Model).ConfigureAwait(false);
                activity?.SetTag("musicdna.tracks", rows.Count);
                activity?.SetTag("musicdna.epochs_run", result.EpochsRun);
                activity?.SetTag("musicdna.test_mse", result.TestMse);
                activity?.SetTag("musicdna.model_version", outcome.Manifest.Version);
                return outcome;
            }
            catch
            {
                result.Model.Dispose();
                throw;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "cancelled");
            EngineLog.TrainingCancelled(logger, runId);
            throw;
        }
    }

    public void Dispose() => _single.Dispose();

    private static List<double[]> Pick(List<double[]> rows, IReadOnlyList<int> indices)
    {
        var picked = new List<double[]>(indices.Count);
        foreach (var i in indices)
        {
            picked.Add(rows[i]);
        }

        return picked;
    }
}
