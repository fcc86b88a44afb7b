namespace MusicDna.Model;

/// <summary>A model read back from the <see cref="ModelStore"/>: its manifest and its weights, ready to encode.</summary>
public sealed class PublishedModel(ModelManifest manifest, TrainedAutoencoder autoencoder) : IDisposable
{
    public ModelManifest Manifest { get; } = manifest;

    public TrainedAutoencoder Autoencoder { get; } = autoencoder;

    public void Dispose() => Autoencoder.Dispose();
}
