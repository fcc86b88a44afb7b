namespace MusicDna.Model;

/// <summary>Where training runs. Inference always runs on the CPU (see <see cref="TrainedAutoencoder"/>).</summary>
public enum ComputeDevice
{
    Cpu,
    Cuda,
}
