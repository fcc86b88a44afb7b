using MusicDna.Core.Errors;
using MusicDna.Core.Features;

namespace MusicDna.Model;

/// <summary>
/// The autoencoder's shape: input → hidden layers → latent, mirrored back to input. The default 12→128→64→6 won
/// the tuning in docs/model.md (held-out MSE about a third of PCA's, k-means silhouette 0.47 on the served latents).
/// </summary>
public sealed record AutoencoderConfig
{
    public const int MaxHiddenLayers = 8;
    public const int MaxWidth = 4096;

    public AutoencoderConfig(int InputSize = FeatureSchema.Count, IReadOnlyList<int>? HiddenSizes = null, int LatentSize = 6)
    {
        this.InputSize = InputSize;
        this.HiddenSizes = HiddenSizes ?? [128, 64];
        this.LatentSize = LatentSize;
    }

    public int InputSize { get; init; }

    public IReadOnlyList<int> HiddenSizes { get; init; }

    public int LatentSize { get; init; }

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first offending field.</summary>
    public void Validate()
    {
        if (InputSize <= 0 || InputSize > MaxWidth)
        {
            throw new InvalidInputException("input_size", $"must be in 1..{MaxWidth}, got {InputSize}");
        }

        if (HiddenSizes is null)
        {
            throw new InvalidInputException("hidden_layer_sizes", "must be given (it may be empty)");
        }

        if (HiddenSizes.Count > MaxHiddenLayers)
        {
            throw new InvalidInputException(
                "hidden_layer_sizes", $"at most {MaxHiddenLayers} hidden layers, got {HiddenSizes.Count}");
        }

        for (var i = 0; i < HiddenSizes.Count; i++)
        {
            if (HiddenSizes[i] <= 0 || HiddenSizes[i] > MaxWidth)
            {
                throw new InvalidInputException(
                    $"hidden_layer_sizes[{i}]", $"must be in 1..{MaxWidth}, got {HiddenSizes[i]}");
            }
        }

        if (LatentSize <= 0)
        {
            throw new InvalidInputException("latent_size", $"must be positive, got {LatentSize}");
        }

        if (LatentSize >= InputSize)
        {
            throw new InvalidInputException(
                "latent_size", $"must be smaller than input_size ({InputSize}) to compress, got {LatentSize}");
        }
    }

    // Records compare lists by reference; two configs with the same layer sizes are the same shape.
    public bool Equals(AutoencoderConfig? other) =>
        other is not null
        && InputSize == other.InputSize
        && LatentSize == other.LatentSize
        && HiddenSizes.SequenceEqual(other.HiddenSizes);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(InputSize);
        hash.Add(LatentSize);
        foreach (var size in HiddenSizes)
        {
            hash.Add(size);
        }

        return hash.ToHashCode();
    }
}
