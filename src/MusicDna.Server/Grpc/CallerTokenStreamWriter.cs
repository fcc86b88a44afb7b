using Grpc.Core;

namespace MusicDna.Server.Grpc;

/// <summary>
/// A response stream whose writes stop only when the caller goes away, not at the server's time limit. A write held
/// by HTTP/2 flow control (a caller not reading yet) that the limit cancelled would make Kestrel reset the stream, and
/// the caller would see CANCELLED instead of DEADLINE_EXCEEDED; with this writer the held write finishes when the
/// caller reads, the handler stops at its next cancellation check, and the status reaches the caller after the rows
/// already sent. The handler's work is still bounded by the limit: it produces nothing more once the limit passes.
/// </summary>
internal sealed class CallerTokenStreamWriter<T>(IServerStreamWriter<T> inner, CancellationToken callerToken)
    : IServerStreamWriter<T>
{
    public WriteOptions? WriteOptions
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    public Task WriteAsync(T message) => inner.WriteAsync(message, callerToken);

    public Task WriteAsync(T message, CancellationToken cancellationToken) => inner.WriteAsync(message, callerToken);
}
