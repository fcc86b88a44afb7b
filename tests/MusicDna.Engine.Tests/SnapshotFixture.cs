using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Snapshots;
using MusicDna.Model;

namespace MusicDna.Engine.Tests;

/// <summary>
/// One small real autoencoder, trained once for two epochs on a few hundred seeded tracks and saved, so each test
/// can build as many <see cref="ModelSnapshot"/>s as it needs: a snapshot owns (and disposes) its encoder, so each
/// one loads its own copy of the weights.
/// </summary>
public sealed class SnapshotFixture : IDisposable
{
    private readonly TempDirectory _directory = new("musicdna-engine-tests-");
    private readonly string _weights;
    private readonly AutoencoderConfig _config = new();
    private readonly TrainingOptions _options = new(Epochs: 2, BatchSize: 64, LearningRate: 1e-2, Seed: 42);
    private readonly FeaturePipeline _pipeline;
    private readonly ModelMetrics _metrics;

    public SnapshotFixture()
    {
        var rows = TestTracks.FeatureRows(400, seed: 11);
        var train = rows[..320];
        _pipeline = FeaturePipeline.Fit(train);
        var data = new TrainingData(_pipeline.TransformMany(train), _pipeline.TransformMany(rows[320..]), [], FeatureSchema.Count);
        var result = new AutoencoderTrainer().Train(_config, _options, data, progress: null, CancellationToken.None);
        using (result.Model)
        {
            _weights = _directory.File("weights.bin");
            result.Model.Save(_weights);
        }

        _metrics = ModelMetrics.From(result);
    }

    public int LatentSize => _config.LatentSize;

    /// <summary>An empty snapshot of the trained model under <paramref name="version"/>, with its own encoder.</summary>
    internal ModelSnapshot NewSnapshot(long version = 1)
    {
        var manifest = new ModelManifest(version, DateTimeOffset.UnixEpoch, _config, _options, _pipeline.Parameters, _metrics);
        return new ModelSnapshot(manifest, TrainedAutoencoder.Load(_weights, _config));
    }

    /// <summary>The trained model as Train hands it to <see cref="ServingPublisher.PublishModelAsync"/>: a manifest
    /// (its version assigned by the store) and a fresh copy of the weights, owned by the caller.</summary>
    internal (ModelManifest Manifest, TrainedAutoencoder Model) NewModel() =>
        (new ModelManifest(0, DateTimeOffset.UnixEpoch, _config, _options, _pipeline.Parameters, _metrics), TrainedAutoencoder.Load(_weights, _config));

    /// <summary>
    /// A snapshot holding <paramref name="count"/> tracks with seeded, spread-out latent vectors (row ids 1..count,
    /// track ids "t1".."tN"); <paramref name="genreOf"/> picks each row's genre.
    /// </summary>
    internal ModelSnapshot NewSnapshot(long version, int count, int seed, Func<long, string>? genreOf = null)
    {
        var snapshot = NewSnapshot(version);
        try
        {
            var rowIds = Enumerable.Range(1, count).Select(i => (long)i).ToArray();
            var tracks = rowIds.Select(id => TestTracks.Track($"t{id}", genreOf?.Invoke(id) ?? "pop")).ToArray();
            snapshot.Upsert(rowIds, tracks, TestTracks.Songs(tracks), TestTracks.Vectors(count, LatentSize, seed));
            snapshot.CalibrateScores();
            return snapshot;
        }
        catch
        {
            snapshot.Dispose();
            throw;
        }
    }

    public void Dispose() => _directory.Dispose();
}
