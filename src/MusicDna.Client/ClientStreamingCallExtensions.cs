using Grpc.Core;

namespace MusicDna.Client;

/// <summary>Sending a client stream so that a call the server ends early reports the server's own status.</summary>
public static class ClientStreamingCallExtensions
{
    /// <summary>
    /// Writes every message, completes the request stream and returns the response. A server that ends the call
    /// before reading it all (a refused role, an invalid message) resets the request stream, and a write racing that
    /// reset fails with a bare CANCELLED before the client has read the status the server sent. The response carries
    /// that status, so a failed write is passed over and the response's error is the one thrown. A cancellation of
    /// <paramref name="cancellationToken"/> is thrown as it is.
    /// </summary>
    public static async Task<TResponse> SendAsync<TRequest, TResponse>(
        this AsyncClientStreamingCall<TRequest, TResponse> call,
        IAsyncEnumerable<TRequest> messages,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(messages);
        try
        {
            await foreach (var message in messages.WithCancellation(cancellationToken))
            {
                await call.RequestStream.WriteAsync(message, cancellationToken);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            // The response below carries the call's status.
        }

        return await call.ResponseAsync;
    }
}
