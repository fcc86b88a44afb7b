using TorchSharp;
using static TorchSharp.torch;

namespace MusicDna.Model.Tests;

[Collection(TorchTests.Name)]
public sealed class FlatParametersTests
{
    private static readonly AutoencoderConfig Config = new(HiddenSizes: [16, 8], LatentSize: 3);

    [Fact]
    public void Every_parameter_keeps_its_values_and_becomes_a_view_of_the_shared_buffer()
    {
        using var model = NewModel(seed: 3);
        var before = model.parameters().Select(p => p.data<float>().ToArray()).ToList();

        using var flat = new FlatParameters(model);

        Assert.Equal(model.parameters().Sum(p => p.numel()), flat.Values.numel());
        Assert.Equal(before, model.parameters().Select(p => p.data<float>().ToArray()));
        using (no_grad())
        {
            flat.Values.fill_(0.25);
        }

        Assert.All(model.parameters(), p => Assert.All(p.data<float>().ToArray(), v => Assert.Equal(0.25f, v)));
    }

    [Fact]
    public void Backward_writes_each_parameters_gradient_into_the_shared_gradient_buffer()
    {
        using var reference = NewModel(seed: 5);
        using var model = NewModel(seed: 5);
        using var flat = new FlatParameters(model);
        using var batch = Batch();

        Backward(reference, batch);
        Backward(model, batch);

        var expected = reference.parameters().SelectMany(p => p.grad!.data<float>().ToArray()).ToArray();
        var actual = flat.Gradients.data<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First, pair.Second, 1e-6f));
        Assert.Contains(actual, v => v != 0);
    }

    [Fact]
    public void Dispose_drops_the_gradients_and_leaves_the_trained_values_in_place()
    {
        using var model = NewModel(seed: 9);
        using var batch = Batch();
        var flat = new FlatParameters(model);
        Backward(model, batch);
        using (no_grad())
        {
            flat.Values.add_(1.0);
        }

        var trained = model.parameters().Select(p => p.data<float>().ToArray()).ToList();

        flat.Dispose();

        Assert.All(model.parameters(), p => Assert.Null(p.grad));
        Assert.Equal(trained, model.parameters().Select(p => p.data<float>().ToArray()));
    }

    internal static Autoencoder NewModel(int seed)
    {
        torch.manual_seed(seed);
        return new Autoencoder(Config);
    }

    internal static Tensor Batch()
    {
        torch.manual_seed(1);
        return rand(32, Config.InputSize);
    }

    internal static void Backward(Autoencoder model, Tensor batch)
    {
        using var scope = NewDisposeScope();
        nn.functional.mse_loss(model.forward(batch), batch).backward();
    }
}
