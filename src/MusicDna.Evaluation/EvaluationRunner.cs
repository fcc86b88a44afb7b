using System.Diagnostics;
using System.Globalization;
using MusicDna.Core.Features;
using MusicDna.Core.Numerics;
using MusicDna.Core.Tracks;
using MusicDna.Model;

namespace MusicDna.Evaluation;

/// <summary>
/// The whole evaluation on one dataset: a seeded held-out split of tracks, the feature pipeline fitted on the
/// training part, then PCA, a simple autoencoder (no hidden layer) and the deep autoencoder (pure reconstruction,
/// and the served objective when it adds the genre term), each scored on reconstruction, clusters and genre
/// neighbourhoods, beside the raw scaled features. Single-threaded and seeded: the same data and options give the
/// same figures, except wall times.
/// </summary>
public sealed class EvaluationRunner(IProgress<string>? progress = null)
{
    public EvaluationResult Run(EvaluationDataset data, EvaluationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var n = data.Count;
        var split = DataSplit.Create(n, 0, options.HeldOutFraction, options.Seed);
        var width = FeatureSchema.Count;

        var clock = Stopwatch.StartNew();
        var pipeline = FeaturePipeline.Fit(Pick(data.Features, split.Train));
        var pipelineSeconds = clock.Elapsed.TotalSeconds;
        var scaled = pipeline.TransformMany(data.Features);
        var trainScaled = Rows(scaled, width, split.Train);
        var heldOutScaled = Rows(scaled, width, split.Test);
        Report($"{n:N0} tracks: {split.Train.Length:N0} training, {split.Test.Length:N0} held out; pipeline fitted in {pipelineSeconds:F2} s");

        var latent = options.Served.LatentSize;
        var spaces = new List<LatentSpace> { new("raw scaled features", scaled, width, null, null, null, Clustered: false) };

        clock.Restart();
        var pca = Pca.Fit(trainScaled, width, latent);
        var pcaSeconds = clock.Elapsed.TotalSeconds;
        var pcaMse = ReconstructionError.MeanSquared(heldOutScaled, pca.InverseTransform(pca.Transform(heldOutScaled)));
        spaces.Add(new($"PCA ({latent})", pca.Transform(scaled), latent, pcaSeconds, null, pcaMse, Clustered: true));
        Report($"PCA: held-out MSE {pcaMse:F5}");

        var pure = options.ServedTraining with { GenreWeight = 0 };
        var simple = options.Served with { HiddenSizes = [] };
        spaces.Add(TrainAutoencoder($"simple AE {Shape(simple)}", simple, pure, data, split, scaled, trainScaled, heldOutScaled, cancellationToken));
        var deepPure = TrainAutoencoder($"deep AE {Shape(options.Served)}, reconstruction only", options.Served, pure, data, split, scaled, trainScaled, heldOutScaled, cancellationToken);
        spaces.Add(deepPure);
        var served = deepPure;
        var genreWeight = options.ServedTraining.GenreWeight > 0 ? options.ServedTraining.GenreWeight : options.ComparisonGenreWeight;
        if (genreWeight > 0)
        {
            var withGenres = TrainAutoencoder(
                string.Create(CultureInfo.InvariantCulture, $"deep AE {Shape(options.Served)}, + contrastive genre term ×{genreWeight:G3}, τ {options.ServedTraining.GenreTemperature:G3}"),
                options.Served, options.ServedTraining with { GenreWeight = genreWeight }, data, split, scaled, trainScaled, heldOutScaled, cancellationToken);
            spaces.Add(withGenres);
            served = options.ServedTraining.GenreWeight > 0 ? withGenres : deepPure;
        }

        var queries = SeededSample.Pick(n, options.Queries, options.Seed + 1);
        var heldOutQueries = SeededSample.Pick(split.Test, options.Queries, options.Seed + 2);
        var trainedQueries = SeededSample.Pick(split.Train, options.Queries, options.Seed + 3);
        var silhouetteSample = SeededSample.Pick(n, options.SilhouetteSampleSize, options.Seed + 4);
        var scores = new List<MethodScore>();
        foreach (var space in spaces)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var silhouettes = space.Clustered
                ? options.ClusterCounts.ToDictionary(k => k, k => ClusterSilhouette(space, k, silhouetteSample, options.Seed))
                : [];
            var k10 = options.Neighbours;
            var score = new MethodScore(
                space.Method,
                space.Dimensions,
                space.TrainingSeconds,
                space.EpochsRun,
                space.HeldOutMse,
                silhouettes,
                GenreAgreement.AtK(space.Vectors, space.Dimensions, data.Genres, queries, k10),
                GenreAgreement.AtK(space.Vectors, space.Dimensions, data.Genres, heldOutQueries, k10),
                GenreAgreement.AtK(space.Vectors, space.Dimensions, data.Genres, trainedQueries, k10),
                SongFeeds.Measure(space.Vectors, space.Dimensions, data, queries, k10));
            scores.Add(score);
            Report($"{space.Method}: agreement@{k10} {score.GenreAgreement:P1} ({score.Songs.SongAgreement:P1} over songs), top-{k10} repeating a song {score.Songs.RepeatedSongShareOff:P1} (collapsed {score.Songs.RepeatedSongShareOn:P1}), silhouettes {string.Join(", ", silhouettes.Select(s => $"k={s.Key} {s.Value:F3}"))}");
        }

        var map = LatentMap.Build(served.Vectors, served.Dimensions, data.Genres, data.GenreNames, options.MapGenres, options.MapSampleSize, options.Seed + 5);
        var report = new EvaluationReport(
            data.RowsRead, data.RowsRejected, n, data.SongCount, data.Songs.GroupBy(s => s).Where(g => g.Count() > 1).Sum(g => g.Count()),
            split.Train.Length, split.Test.Length, data.GenreNames.Count, options.Seed,
            silhouetteSample.Length, options.Queries, options.Neighbours, pipelineSeconds, served.Method, map.Projection, map.GenreNames, scores);
        return new EvaluationResult(report, map);
    }

    private LatentSpace TrainAutoencoder(
        string method,
        AutoencoderConfig config,
        TrainingOptions training,
        EvaluationDataset data,
        DataSplit split,
        float[] scaled,
        float[] trainScaled,
        float[] heldOutScaled,
        CancellationToken cancellationToken)
    {
        var width = FeatureSchema.Count;

        // Validation rows for early stopping come out of the training part; the held-out tracks stay unseen.
        var inner = DataSplit.Create(split.Train.Length, training.ValidationFraction, 0, training.Seed);
        var trainingData = new TrainingData(Rows(trainScaled, width, inner.Train), Rows(trainScaled, width, inner.Validation), heldOutScaled, width)
        {
            TrainGenres = [.. inner.Train.Select(i => data.Genres[split.Train[i]])],
            GenreCount = data.GenreNames.Count,
        };
        Report($"{method}: training…");
        var result = new AutoencoderTrainer().Train(config, training, trainingData, null, cancellationToken);
        using var model = result.Model;
        var n = scaled.Length / width;
        var mse = ReconstructionError.MeanSquared(heldOutScaled, model.Reconstruct(heldOutScaled, heldOutScaled.Length / width));
        Report($"{method}: {result.EpochsRun} epochs in {result.Duration.TotalSeconds:F1} s, held-out MSE {mse:F5}");
        return new LatentSpace(method, model.Encode(scaled, n), config.LatentSize, result.Duration.TotalSeconds, result.EpochsRun, mse, Clustered: true);
    }

    private static double ClusterSilhouette(LatentSpace space, int k, int[] sample, int seed)
    {
        var unit = GenreAgreement.Normalised(space.Vectors, space.Dimensions);
        var clusters = KMeans.Fit(unit, space.Dimensions, k, seed);
        var rows = Rows(unit, space.Dimensions, sample);
        return Silhouette.Score(rows, space.Dimensions, [.. sample.Select(i => clusters.Labels[i])]);
    }

    private static string Shape(AutoencoderConfig config) =>
        string.Join("→", new[] { config.InputSize }.Concat(config.HiddenSizes).Append(config.LatentSize));

    private static List<double[]> Pick(IReadOnlyList<double[]> rows, IReadOnlyList<int> indexes) => [.. indexes.Select(i => rows[i])];

    private static float[] Rows(float[] matrix, int width, IReadOnlyList<int> indexes)
    {
        var result = new float[indexes.Count * width];
        for (var r = 0; r < indexes.Count; r++)
        {
            matrix.AsSpan(indexes[r] * width, width).CopyTo(result.AsSpan(r * width));
        }

        return result;
    }

    private void Report(FormattableString message) => progress?.Report(message.ToString(CultureInfo.InvariantCulture));
}
