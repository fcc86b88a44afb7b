using MusicDna.Core.Errors;
using TorchSharp;

namespace MusicDna.Model.Tests;

[Collection(TorchTests.Name)]
public sealed class DeviceSelectorTests
{
    [Fact]
    public void Torch_loads_on_this_host_and_computes()
    {
        // On Debian 12 this only works because the build marked libLibTorchSharp's GLIBCXX_3.4.32 need weak.
        using var ones = torch.ones(3, 4);
        using var sum = ones.sum();

        Assert.Equal(12f, sum.item<float>());
    }

    [Fact]
    public void Cpu_selects_the_cpu_device()
    {
        Assert.Equal(DeviceType.CPU, DeviceSelector.Select(ComputeDevice.Cpu).type);
    }

    [Fact]
    public void Cuda_without_a_usable_GPU_throws_PreconditionFailed_with_reason_CUDA_UNAVAILABLE()
    {
        // The project references the CPU libtorch, so CUDA is never available unless built with -p:TorchDevice=cuda.
        if (torch.cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, DeviceSelector.Select(ComputeDevice.Cuda).type);
            return;
        }

        var error = Assert.Throws<PreconditionFailedException>(() => DeviceSelector.Select(ComputeDevice.Cuda));

        Assert.Equal("CUDA_UNAVAILABLE", error.Reason);
        Assert.Contains("CUDA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_on_Cuda_without_a_usable_GPU_fails_before_any_epoch()
    {
        if (torch.cuda.is_available())
        {
            return; // covered by the test above: the device exists, so training there is legitimate
        }

        var progress = new RecordingProgress();
        var error = Assert.Throws<PreconditionFailedException>(() => new AutoencoderTrainer().Train(
            new AutoencoderConfig(),
            new TrainingOptions(Device: ComputeDevice.Cuda),
            SyntheticTracks.Split(100, 20, 0),
            progress,
            CancellationToken.None));

        Assert.Equal("CUDA_UNAVAILABLE", error.Reason);
        Assert.Empty(progress.Reports);
    }

    [Fact]
    public void One_intra_op_thread_is_the_default()
    {
        Assert.Equal(TorchRuntime.DefaultIntraOpThreads, TorchRuntime.IntraOpThreads);
    }
}
