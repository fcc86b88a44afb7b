namespace MusicDna.Model;

/// <summary>What follows a Linear layer of the autoencoder, as <see cref="ReconstructionStep"/> differentiates it.</summary>
internal enum LayerActivation
{
    None,
    ReLU,
    Sigmoid,
}
