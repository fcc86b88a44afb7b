using MusicDna.Core.Errors;
using TorchSharp;

namespace MusicDna.Model;

/// <summary>Turns a <see cref="ComputeDevice"/> into a torch device, refusing CUDA where none is usable.</summary>
public static class DeviceSelector
{
    public const string CudaUnavailableReason = "CUDA_UNAVAILABLE";

    public static torch.Device Select(ComputeDevice device)
    {
        TorchRuntime.EnsureConfigured();
        return device switch
        {
            ComputeDevice.Cpu => torch.CPU,
            ComputeDevice.Cuda when torch.cuda.is_available() => torch.CUDA,
            ComputeDevice.Cuda => throw new PreconditionFailedException(
                CudaUnavailableReason,
                "CUDA was requested but no CUDA device is usable: this build carries the CPU libtorch "
                + "(build with -p:TorchDevice=cuda, see src/MusicDna.Model/README.md) or no GPU/driver is present."),
            _ => throw new ArgumentOutOfRangeException(nameof(device), device, "Unknown compute device."),
        };
    }
}
