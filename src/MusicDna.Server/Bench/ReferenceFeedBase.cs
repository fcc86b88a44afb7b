using Google.Protobuf;
using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Bench;

/// <summary>
/// The reference feed's service definition, written the way generated code writes one (no .proto: it is not part of
/// the contract): one server-streaming method taking a RecommendRequest and streaming RecommendResponse messages.
/// grpc-dotnet binds an implementation's override of <see cref="Feed"/> through <see cref="BindService"/>.
/// </summary>
internal abstract class ReferenceFeedBase
{
    public const string ServiceName = "musicdna.bench.ReferenceFeed";

    private static readonly Method<RecommendRequest, RecommendResponse> FeedMethod = new(
        MethodType.ServerStreaming,
        ServiceName,
        nameof(Feed),
        Marshallers.Create(message => message.ToByteArray(), RecommendRequest.Parser.ParseFrom),
        Marshallers.Create(message => message.ToByteArray(), RecommendResponse.Parser.ParseFrom));

    public static void BindService(ServiceBinderBase binder, ReferenceFeedBase? service)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.AddMethod(FeedMethod, service is null ? null : service.Feed);
    }

    public abstract Task Feed(RecommendRequest request, IServerStreamWriter<RecommendResponse> responseStream, ServerCallContext context);
}
