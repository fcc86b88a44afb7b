using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MusicDna.Model;

/// <summary>
/// The reconstruction objective's forward and backward pass written out by hand. The autoencoder is a chain of
/// Linear layers, each followed by ReLU, Sigmoid or nothing, so the gradient of its mean squared error is a short
/// fixed sequence of matrix products and masks. Written out, a step needs about a third fewer tensor operations
/// than autograd's and none of its graph bookkeeping, and it writes each gradient straight into the parameter's
/// gradient tensor (so nothing needs zeroing between steps); for a model this small that bookkeeping, not the
/// arithmetic, is most of a step. The gradients equal autograd's up to float rounding (the tests compare them).
/// </summary>
internal sealed class ReconstructionStep : IDisposable
{
    private readonly Layer[] layers;
    private readonly Tensor ones;

    // Held for the whole training: a temporary Scalar could be finalised while libtorch reads it (see FlatAdam).
    private readonly Scalar minusOne = (-1.0).ToScalar();

    /// <param name="model">The model; every parameter must already have a gradient tensor (<see cref="FlatParameters"/>).</param>
    /// <param name="batchSize">The largest batch a step is given.</param>
    public ReconstructionStep(Autoencoder model, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        layers = [.. Read(model.Chain())];
        if (layers.Length == 0)
        {
            throw new NotSupportedException("The model has no Linear layers.");
        }

        var weight = layers[0].Weight;
        ones = torch.ones(batchSize, weight.dtype, weight.device).DetachFromDisposeScope();
    }

    /// <summary>
    /// Writes the gradient of the mean squared reconstruction error of <paramref name="batch"/> into every
    /// parameter's gradient and returns that error (a scalar tensor in the caller's dispose scope).
    /// </summary>
    public Tensor Run(Tensor batch)
    {
        using var noGrad = no_grad();
        var rows = batch.shape[0];

        // Forward, keeping each layer's input: the weight gradient and the ReLU mask need them.
        var inputs = new Tensor[layers.Length];
        var activation = batch;
        for (var i = 0; i < layers.Length; i++)
        {
            inputs[i] = activation;
            var layer = layers[i];
            var linear = layer.Bias.addmm(activation, layer.WeightTransposed);
            activation = layer.After switch
            {
                LayerActivation.ReLU => linear.relu_(),
                LayerActivation.Sigmoid => linear.sigmoid_(),
                _ => linear,
            };
        }

        var reconstruction = activation;
        var loss = nn.functional.mse_loss(reconstruction, batch);

        // d(mean of squares)/d(reconstruction), then back through each activation and layer.
        using var meanScale = (2.0 / reconstruction.numel()).ToScalar();
        var gradient = reconstruction.sub(batch).mul_(meanScale);
        var batchOnes = rows == ones.shape[0] ? ones : ones.narrow(0, 0, rows);
        for (var i = layers.Length - 1; i >= 0; i--)
        {
            var layer = layers[i];
            var output = i == layers.Length - 1 ? reconstruction : inputs[i + 1];
            switch (layer.After)
            {
                case LayerActivation.ReLU:
                    // A ReLU output's sign is its derivative, 1 or 0; sign runs vectorised where gt(0)'s bool
                    // result and its conversion back to float do not.
                    gradient.mul_(output.sign());
                    break;
                case LayerActivation.Sigmoid:
                    // σ' = σ(1 − σ) = σ − σ².
                    gradient.mul_(output.addcmul(output, output, minusOne));
                    break;
            }

            var transposed = gradient.t();
            layer.WeightGradient.addmm_(transposed, inputs[i], beta: 0);
            layer.BiasGradient.addmv_(transposed, batchOnes, beta: 0);
            if (i > 0)
            {
                gradient = gradient.mm(layer.Weight);
            }
        }

        return loss;
    }

    public void Dispose()
    {
        ones.Dispose();
        minusOne.Dispose();
        foreach (var layer in layers)
        {
            layer.Dispose();
        }
    }

    /// <summary>The model's layers in order, or NotSupportedException for a module this pass cannot differentiate.</summary>
    private static IEnumerable<Layer> Read(IEnumerable<nn.Module> chain)
    {
        Linear? pending = null;
        foreach (var module in chain)
        {
            switch (module)
            {
                case Linear linear:
                    if (pending is not null)
                    {
                        yield return new Layer(pending, LayerActivation.None);
                    }

                    pending = linear;
                    break;
                case ReLU or Sigmoid when pending is not null:
                    yield return new Layer(pending, module is ReLU ? LayerActivation.ReLU : LayerActivation.Sigmoid);
                    pending = null;
                    break;
                default:
                    throw new NotSupportedException($"No hand-written backward pass for {module.GetType().Name} here.");
            }
        }

        if (pending is not null)
        {
            yield return new Layer(pending, LayerActivation.None);
        }
    }

    /// <summary>
    /// One Linear layer's tensors. The parameters change in place each step, so views of them taken once (the
    /// transposed weight, the gradients) stay current for the whole training.
    /// </summary>
    private sealed class Layer : IDisposable
    {
        public Layer(Linear linear, LayerActivation after)
        {
            After = after;
            Weight = linear.weight;
            Bias = linear.bias ?? throw new NotSupportedException("Every Linear layer here has a bias.");
            WeightTransposed = Weight.t().DetachFromDisposeScope();
            WeightGradient = Weight.grad?.DetachFromDisposeScope()
                ?? throw new InvalidOperationException("The weight has no gradient tensor to write into.");
            BiasGradient = Bias.grad?.DetachFromDisposeScope()
                ?? throw new InvalidOperationException("The bias has no gradient tensor to write into.");
        }

        public LayerActivation After { get; }

        public Tensor Weight { get; }

        public Tensor Bias { get; }

        public Tensor WeightTransposed { get; }

        public Tensor WeightGradient { get; }

        public Tensor BiasGradient { get; }

        // The parameters belong to the model; only the views made here are this layer's.
        public void Dispose()
        {
            WeightTransposed.Dispose();
            WeightGradient.Dispose();
            BiasGradient.Dispose();
        }
    }
}
