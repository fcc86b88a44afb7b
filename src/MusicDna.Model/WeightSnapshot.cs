using static TorchSharp.torch;

namespace MusicDna.Model;

/// <summary>A detached copy of a model's parameters, for early stopping to return to the best epoch.</summary>
internal sealed class WeightSnapshot : IDisposable
{
    private readonly List<Tensor> saved;

    public WeightSnapshot(nn.Module model)
    {
        using var noGrad = no_grad();
        saved = [.. model.parameters().Select(p => p.clone())];
    }

    public void Capture(nn.Module model) => CopyAll(model, toModel: false);

    public void Restore(nn.Module model) => CopyAll(model, toModel: true);

    public void Dispose()
    {
        foreach (var tensor in saved)
        {
            tensor.Dispose();
        }
    }

    private void CopyAll(nn.Module model, bool toModel)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var parameters = model.parameters().ToList();
        for (var i = 0; i < saved.Count; i++)
        {
            if (toModel)
            {
                parameters[i].copy_(saved[i]);
            }
            else
            {
                saved[i].copy_(parameters[i]);
            }
        }
    }
}
