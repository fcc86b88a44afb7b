using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MusicDna.Model;

/// <summary>
/// Moves a module's parameters into one contiguous tensor and their gradients into a second one: each parameter
/// and its gradient become views of their slice, so autograd (or <see cref="ReconstructionStep"/>) still writes
/// per parameter while <see cref="FlatAdam"/> updates the whole model as the single tensor <see cref="Values"/>.
/// For a small model each tensor operation costs far more in dispatch than in arithmetic, and Adam runs about nine
/// of them per tensor it updates. Dispose drops the gradients; the parameters keep their values in the shared buffer.
/// </summary>
internal sealed class FlatParameters : IDisposable
{
    private readonly List<Parameter> parameters;

    public FlatParameters(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        parameters = [.. module.parameters()];
        if (parameters.Count == 0)
        {
            throw new ArgumentException("The module has no parameters.", nameof(module));
        }

        var first = parameters[0];
        if (parameters.Any(p => p.dtype != first.dtype || p.device_type != first.device_type || p.device_index != first.device_index))
        {
            throw new ArgumentException("Every parameter must share one dtype and device to share one buffer.", nameof(module));
        }

        using var noGrad = no_grad();
        Values = zeros(parameters.Sum(p => p.numel()), first.dtype, first.device).DetachFromDisposeScope();
        Gradients = zeros_like(Values).DetachFromDisposeScope();
        long offset = 0;
        foreach (var parameter in parameters)
        {
            using var scope = NewDisposeScope();
            var count = parameter.numel();
            var slot = Values.narrow(0, offset, count).view(parameter.shape);
            slot.copy_(parameter);
            parameter.set_(slot);
            parameter.grad = Gradients.narrow(0, offset, count).view(parameter.shape);
            offset += count;
        }
    }

    /// <summary>Every parameter, end to end.</summary>
    public Tensor Values { get; }

    /// <summary>Every parameter's gradient, end to end, in the order of <see cref="Values"/>.</summary>
    public Tensor Gradients { get; }

    public void Dispose()
    {
        foreach (var parameter in parameters)
        {
            parameter.grad = null;
        }

        Gradients.Dispose();
        Values.Dispose();
    }
}
