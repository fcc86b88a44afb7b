using MusicDna.Core.Features;
using MusicDna.Index;
using MusicDna.Model;

namespace MusicDna.Engine;

/// <summary>
/// One published model as served: its feature pipeline, its encoder and the index of the catalogue's
/// vectors under it. Pipeline and encoder never change; the index only grows by ingested tracks.
/// Readers hold a <see cref="SnapshotLease"/>, so a snapshot is disposed only after the last reader is done.
/// </summary>
public sealed class ModelSnapshot : IDisposable
{
    public ModelSnapshot(ModelManifest manifest, FeaturePipeline pipeline, TrainedAutoencoder encoder, VectorIndex index)
    {
        Manifest = manifest;
        Pipeline = pipeline;
        Encoder = encoder;
        Index = index;
    }

    public ModelManifest Manifest { get; }

    public long Version => Manifest.Version;

    public int LatentSize => Encoder.Config.LatentSize;

    public FeaturePipeline Pipeline { get; }

    public TrainedAutoencoder Encoder { get; }

    public VectorIndex Index { get; }

    /// <summary>Filterable facts and normalised vectors of the indexed tracks, maintained with <see cref="Index"/>.</summary>
    public TrackTable Tracks { get; } = new();

    /// <summary>Raw features (rows of 12) → latent vectors, row-major rows × <see cref="LatentSize"/>.</summary>
    public float[] Embed(IReadOnlyList<double[]> rawFeatures)
    {
        ArgumentNullException.ThrowIfNull(rawFeatures);
        if (rawFeatures.Count == 0)
        {
            return [];
        }

        var scaled = Pipeline.TransformMany(rawFeatures);
        return Encoder.Encode(scaled, rawFeatures.Count);
    }

    public void Dispose()
    {
        Index.Dispose();
        Encoder.Dispose();
    }
}
