using TorchSharp;
using static TorchSharp.torch;

namespace MusicDna.Model.Tests;

[Collection(TorchTests.Name)]
public sealed class ReconstructionStepTests
{
    public static TheoryData<int[], int, int> Shapes => new()
    {
        { [128, 64], 6, 256 },
        { [], 6, 64 },
        { [32, 16, 8], 4, 37 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_hand_written_backward_pass_gives_the_loss_and_gradients_autograd_gives(int[] hidden, int latent, int rows)
    {
        var config = new AutoencoderConfig(HiddenSizes: hidden, LatentSize: latent);
        using var reference = NewModel(config);
        using var model = NewModel(config);
        using var flat = new FlatParameters(model);
        using var step = new ReconstructionStep(model, batchSize: 256);
        using var batch = Batch(rows, config.InputSize);
        using var scope = NewDisposeScope();

        var expectedLoss = nn.functional.mse_loss(reference.forward(batch), batch);
        expectedLoss.backward();
        var loss = step.Run(batch);

        Assert.Equal(expectedLoss.item<float>(), loss.item<float>(), 1e-6f);
        var expected = reference.parameters().Select(p => p.grad!.data<float>().ToArray()).ToList();
        var actual = model.parameters().Select(p => p.grad!.data<float>().ToArray()).ToList();
        for (var i = 0; i < expected.Count; i++)
        {
            var scale = expected[i].Max(MathF.Abs);
            Assert.True(scale > 0, $"parameter {i} has an all-zero gradient");
            var worst = expected[i].Zip(actual[i], (e, a) => MathF.Abs(e - a)).Max();
            Assert.True(worst <= 1e-4f * scale, $"parameter {i}: max difference {worst} for gradients up to {scale}");
        }
    }

    [Fact]
    public void Each_run_overwrites_the_gradients_instead_of_adding_to_them()
    {
        var config = new AutoencoderConfig();
        using var model = NewModel(config);
        using var flat = new FlatParameters(model);
        using var step = new ReconstructionStep(model, batchSize: 64);
        using var batch = Batch(64, config.InputSize);
        using var scope = NewDisposeScope();

        step.Run(batch);
        var first = flat.Gradients.data<float>().ToArray();
        step.Run(batch);

        Assert.Equal(first, flat.Gradients.data<float>().ToArray());
    }

    [Fact]
    public void A_model_without_gradient_tensors_is_refused()
    {
        using var model = NewModel(new AutoencoderConfig());

        Assert.Throws<InvalidOperationException>(() => new ReconstructionStep(model, batchSize: 8));
    }

    private static Autoencoder NewModel(AutoencoderConfig config)
    {
        torch.manual_seed(21);
        return new Autoencoder(config);
    }

    private static Tensor Batch(int rows, int features)
    {
        torch.manual_seed(4);
        return rand(rows, features);
    }
}
