using TorchSharp;
using static TorchSharp.torch;

namespace MusicDna.Model;

/// <summary>
/// Adam (Kingma and Ba 2015, without weight decay or amsgrad) over a <see cref="FlatParameters"/> buffer: the
/// update TorchSharp's and PyTorch's Adam make, op for op, on the whole model as one tensor. Its own, rather than
/// TorchSharp's Adam given the one buffer, because TorchSharp's converts each hyper-parameter to a temporary
/// <see cref="Scalar"/> per call, and a temporary Scalar can be finalised by a garbage collection on another thread
/// while libtorch still reads it (training crashed on a freed Scalar; a collection forced in a loop on another thread
/// crashes it within seconds). Here every Scalar lives in a field or a using block until the call that reads it
/// has returned. TorchSharp overloads that fill in an alpha of 1 (add, add_, +) make such a temporary too.
/// </summary>
internal sealed class FlatAdam : IDisposable
{
    private readonly Tensor values;
    private readonly Tensor gradients;
    private readonly Tensor firstMoment;
    private readonly Tensor secondMoment;
    private readonly double beta1;
    private readonly double beta2;
    private readonly Scalar beta1Scalar;
    private readonly Scalar oneMinusBeta1;
    private readonly Scalar beta2Scalar;
    private readonly Scalar oneMinusBeta2;
    private readonly Scalar epsilon;

    // add_(Scalar) would make a temporary Scalar for its alpha of 1; this one lives as long as the optimiser.
    private readonly Scalar one = 1.ToScalar();
    private long steps;

    public FlatAdam(FlatParameters parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        values = parameters.Values;
        gradients = parameters.Gradients;
        LearningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        beta1Scalar = beta1.ToScalar();
        oneMinusBeta1 = (1 - beta1).ToScalar();
        beta2Scalar = beta2.ToScalar();
        oneMinusBeta2 = (1 - beta2).ToScalar();
        this.epsilon = epsilon.ToScalar();
        firstMoment = zeros_like(values).DetachFromDisposeScope();
        secondMoment = zeros_like(values).DetachFromDisposeScope();
    }

    /// <summary>The rate the next <see cref="Step"/> uses; a schedule may change it between steps.</summary>
    public double LearningRate { get; set; }

    public void ZeroGradients()
    {
        using var noGrad = no_grad();
        gradients.zero_();
    }

    /// <summary>One update of every parameter from the gradients as they stand.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        steps++;
        var biasCorrection1 = 1 - Math.Pow(beta1, steps);
        var biasCorrection2 = 1 - Math.Pow(beta2, steps);
        using var correction2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var stepSize = (-LearningRate / biasCorrection1).ToScalar();

        firstMoment.mul_(beta1Scalar).add_(gradients, oneMinusBeta1);
        secondMoment.mul_(beta2Scalar).addcmul_(gradients, gradients, oneMinusBeta2);
        var denominator = secondMoment.sqrt().div_(correction2).add_(epsilon, one);
        values.addcdiv_(firstMoment, denominator, stepSize);
    }

    public void Dispose()
    {
        firstMoment.Dispose();
        secondMoment.Dispose();
        beta1Scalar.Dispose();
        oneMinusBeta1.Dispose();
        beta2Scalar.Dispose();
        oneMinusBeta2.Dispose();
        epsilon.Dispose();
        one.Dispose();
    }
}
