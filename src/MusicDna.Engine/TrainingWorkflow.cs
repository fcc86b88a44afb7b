using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MusicDna.Catalogue;
using MusicDna.Core.Errors;
using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using MusicDna.Model;

namespace MusicDna.Engine;

/// <summary>
/// One Train call: catalogue → seeded split → pipeline fitted on the training rows only → autoencoder →
/// publication. The training rows' genres go to the trainer for the optional genre term
/// (<see cref="TrainingOptions.GenreWeight"/>); the published encoder reads audio features only. One run at a time; cancellation before publication leaves the serving model untouched.
/// </summary>
public sealed class TrainingWorkflow(
    TrackCatalogue catalogue,
    CatalogueIndexer indexer,
    EngineOptions options,
    ILogger<TrainingWorkflow> logger) : IDisposable
{
    private readonly SemaphoreSlim _single = new(1, 1);
    private Guid _runningId;

    public async Task<TrainingOutcome> TrainAsync(
        AutoencoderConfig config,
        TrainingOptions trainingOptions,
        IProgress<EpochProgress>? progress,
        CancellationToken cancellationToken)
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
                var outcome = await indexer.PublishAsync(manifest, result.Model).ConfigureAwait(false);
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
        finally
        {
            _single.Release();
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
