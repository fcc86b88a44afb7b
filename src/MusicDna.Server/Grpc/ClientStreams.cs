using System.Runtime.CompilerServices;
using Grpc.Core;

namespace MusicDna.Server.Grpc;

/// <summary>
/// Reads a client stream to its end. A client that resets its stream mid-call makes Kestrel's read throw an
/// IOException, sometimes before the call's token shows the cancellation, and grpc-dotnet would log that as a server
/// error with a stack trace; it is the client's doing, so it ends the call as CANCELLED instead.
/// </summary>
internal static class ClientStreams
{
    public static async IAsyncEnumerable<T> ReadToEndAsync<T>(
        this IAsyncStreamReader<T> stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            bool more;
            try
            {
                more = await stream.MoveNext(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                throw new RpcException(new Status(StatusCode.Cancelled, "The client reset its stream."));
            }

            if (!more)
            {
                yield break;
            }

            yield return stream.Current;
        }
    }
}
