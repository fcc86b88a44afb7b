using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MusicDna.Model;

/// <summary>
/// Features → latent → features. The encoder is a Linear/ReLU stack with a linear latent (no activation, so the
/// latent can use the whole space for cosine search); the decoder mirrors it and ends in a Sigmoid because the
/// scaled features live in [0, 1].
/// </summary>
public sealed class Autoencoder : Module<Tensor, Tensor>
{
    // Fields, not properties: RegisterComponents() finds submodules by field, and the field names become the
    // state-dict keys ("encoder.linear0.weight"), so renaming them breaks saved weights.
    private readonly Sequential encoder;
    private readonly Sequential decoder;

    public Autoencoder(AutoencoderConfig config)
        : base(nameof(Autoencoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;

        int[] widths = [config.InputSize, .. config.HiddenSizes, config.LatentSize];
        encoder = Stack(widths, finalActivation: null);
        decoder = Stack([.. widths.Reverse()], finalActivation: Sigmoid());
        RegisterComponents();
    }

    public AutoencoderConfig Config { get; }

    public override Tensor forward(Tensor input)
    {
        using var latent = encoder.forward(input);
        return decoder.forward(latent);
    }

    /// <summary>The latent code for each row of <paramref name="input"/> (rows × latent size).</summary>
    public Tensor Encode(Tensor input) => encoder.forward(input);

    /// <summary>The reconstruction for each latent code of <paramref name="latent"/> (rows × input size).</summary>
    public Tensor Decode(Tensor latent) => decoder.forward(latent);

    /// <summary>The encoder's modules, then the decoder's, in the order forward applies them.</summary>
    internal IEnumerable<Module> Chain() => encoder.children().Concat(decoder.children());

    /// <summary>Linear layers between consecutive widths with ReLU between them, then the final activation.</summary>
    private static Sequential Stack(int[] widths, Module<Tensor, Tensor>? finalActivation)
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        for (var i = 0; i < widths.Length - 1; i++)
        {
            layers.Add(($"linear{i}", Linear(widths[i], widths[i + 1])));
            if (i < widths.Length - 2)
            {
                layers.Add(($"relu{i}", ReLU()));
            }
        }

        if (finalActivation is not null)
        {
            layers.Add(("output", finalActivation));
        }

        return Sequential(layers);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            encoder.Dispose();
            decoder.Dispose();
        }

        base.Dispose(disposing);
    }
}
