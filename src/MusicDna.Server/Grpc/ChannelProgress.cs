using System.Threading.Channels;

namespace MusicDna.Server.Grpc;

/// <summary>
/// Progress reports written straight into a channel, in order. (Progress&lt;T&gt; posts to the thread pool,
/// which may reorder epochs.)
/// </summary>
internal sealed class ChannelProgress<T>(ChannelWriter<T> writer) : IProgress<T>
{
    public void Report(T value) => writer.TryWrite(value);
}
