using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MusicDna.Model;

/// <summary>
/// Moves a module's parameters into one contiguous tensor and their gradients into a second one: each parameter
/// and its gradient become views of their slice, so autograd still accumulates per parameter while the optimiser
/// updates and zeroes the whole model as the single tensor <see cref="All"/>. For a small model each tensor
/// operation costs far more in dispatch than in arithmetic, and Adam runs about nine of them per tensor it updates.
/// Dispose drops the gradients; the parameters keep their values in the shared buffer.
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
        var values = zeros(parameters.Sum(p => p.numel()), first.dtype, first.device);
        var gradients = zeros_like(values);
        long offset = 0;
        foreach (var parameter in parameters)
        {
            using var scope = NewDisposeScope();
            var count = parameter.numel();
            var slot = values.narrow(0, offset, count).view(parameter.shape);
            slot.copy_(parameter);
            parameter.set_(slot);
            parameter.grad = gradients.narrow(0, offset, count).view(parameter.shape);
            offset += count;
        }

        All = new Parameter(values);
        All.grad = gradients;
        gradients.Dispose();
    }

    /// <summary>Every parameter, end to end; its gradient is every gradient, end to end.</summary>
    public Parameter All { get; }

    public void Dispose()
    {
        foreach (var parameter in parameters)
        {
            parameter.grad = null;
        }

        All.grad = null;
        All.Dispose();
    }
}
