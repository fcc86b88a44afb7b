using Grpc.Core;

namespace MusicDna.Server.Grpc;

/// <summary>A call context whose cancellation also fires when the server's own time limit for the call passes.</summary>
internal sealed class TimeLimitedCallContext(ServerCallContext inner, DateTime deadline, CancellationToken limited) : ServerCallContext
{
    protected override string MethodCore => inner.Method;

    protected override string HostCore => inner.Host;

    protected override string PeerCore => inner.Peer;

    protected override DateTime DeadlineCore => deadline < inner.Deadline ? deadline : inner.Deadline;

    protected override Metadata RequestHeadersCore => inner.RequestHeaders;

    protected override CancellationToken CancellationTokenCore => limited;

    protected override Metadata ResponseTrailersCore => inner.ResponseTrailers;

    protected override Status StatusCore
    {
        get => inner.Status;
        set => inner.Status = value;
    }

    protected override WriteOptions? WriteOptionsCore
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    protected override AuthContext AuthContextCore => inner.AuthContext;

    protected override IDictionary<object, object> UserStateCore => inner.UserState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        inner.CreatePropagationToken(options);

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => inner.WriteResponseHeadersAsync(responseHeaders);
}
