using TorchSharp;
using static TorchSharp.torch;

namespace MusicDna.Model.Tests;

[Collection(TorchTests.Name)]
public sealed class FlatAdamTests
{
    [Fact]
    public void FlatAdam_takes_the_steps_TorchSharps_Adam_takes_on_each_parameter()
    {
        using var reference = FlatParametersTests.NewModel(seed: 7);
        using var model = FlatParametersTests.NewModel(seed: 7);
        using var untrained = FlatParametersTests.NewModel(seed: 7);
        using var flat = new FlatParameters(model);
        using var perParameter = optim.Adam(reference.parameters(), lr: 0.01);
        using var shared = new FlatAdam(flat, learningRate: 0.01);
        using var batch = FlatParametersTests.Batch();

        for (var step = 0; step < 5; step++)
        {
            perParameter.zero_grad();
            FlatParametersTests.Backward(reference, batch);
            perParameter.step();
            shared.ZeroGradients();
            FlatParametersTests.Backward(model, batch);
            shared.Step();
        }

        var expected = reference.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        var actual = model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First, pair.Second, 1e-6f));
        Assert.NotEqual(untrained.parameters().SelectMany(p => p.data<float>().ToArray()), actual);
    }

    [Fact]
    public void A_changed_learning_rate_applies_from_the_next_step()
    {
        using var fast = FlatParametersTests.NewModel(seed: 8);
        using var slow = FlatParametersTests.NewModel(seed: 8);
        using var fastFlat = new FlatParameters(fast);
        using var slowFlat = new FlatParameters(slow);
        using var fastAdam = new FlatAdam(fastFlat, learningRate: 0.01);
        using var slowAdam = new FlatAdam(slowFlat, learningRate: 0.01) { LearningRate = 0.001 };
        using var before = fastFlat.Values.clone();
        using var batch = FlatParametersTests.Batch();

        FlatParametersTests.Backward(fast, batch);
        FlatParametersTests.Backward(slow, batch);
        fastAdam.Step();
        slowAdam.Step();

        // Adam's first step moves every weight with a non-zero gradient by about the learning rate.
        using var fastMove = (fastFlat.Values - before).abs().max();
        using var slowMove = (slowFlat.Values - before).abs().max();
        Assert.Equal(0.01, fastMove.item<float>(), 1e-3);
        Assert.Equal(0.001, slowMove.item<float>(), 1e-4);
    }
}
