using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Grpc;

/// <summary>
/// How a Recommend feed travels: rows are buffered (gRPC's BufferHint) and flushed every <see cref="FlushEvery"/> rows
/// and with the end message, since each flush is a trip through Kestrel's HTTP/2 output; a k=10 page costs one flush.
/// After each flush it yields to the thread pool: writes to a stream the client has reset complete at once, and
/// Kestrel signals the reset through the thread pool, so the yield lets that signal cancel the call before the
/// engine produces the next rows.
/// </summary>
internal sealed class FeedWriter(IServerStreamWriter<RecommendResponse> stream, CancellationToken cancellationToken)
{
    public const int FlushEvery = 32;

    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    private int _unflushed;

    public async Task WriteRowAsync(RecommendResponse row)
    {
        var flush = ++_unflushed == FlushEvery;
        stream.WriteOptions = flush ? null : Buffered;
        await stream.WriteAsync(row, cancellationToken).ConfigureAwait(false);
        if (flush)
        {
            _unflushed = 0;
            await Task.Yield();
        }
    }

    public Task WriteEndAsync(RecommendResponse end)
    {
        stream.WriteOptions = null;
        return stream.WriteAsync(end, cancellationToken);
    }
}
