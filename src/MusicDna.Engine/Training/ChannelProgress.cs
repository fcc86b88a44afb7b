using System.Threading.Channels;
using MusicDna.Model;

namespace MusicDna.Engine.Training;

/// <summary>Hands the trainer's per-epoch reports to the run's reader, in order, without blocking the trainer.</summary>
internal sealed class ChannelProgress(ChannelWriter<EpochProgress> writer) : IProgress<EpochProgress>
{
    public void Report(EpochProgress value) => writer.TryWrite(value);
}
