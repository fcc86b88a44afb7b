using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace MusicDna.Server.Grpc;

/// <summary>
/// Binds the MusicDna service with request marshallers that turn a message that is not valid protobuf into
/// INVALID_ARGUMENT (reason MALFORMED_MESSAGE). grpc-dotnet deserialises unary and server-streaming requests
/// before any interceptor runs and would otherwise answer UNKNOWN and log an error for plain bad input.
/// Wired by <c>[BindServiceMethod]</c> on <see cref="MusicDnaGrpcService"/>, which grpc-dotnet prefers to the
/// generated base class's.
/// </summary>
internal sealed class StrictMessageBinder(ServiceBinderBase inner) : ServiceBinderBase
{
    // The second parameter must be the generated base: grpc-dotnet matches handler overrides against its type.
    public static void BindService(ServiceBinderBase binder, Contracts.V1.MusicDnaService.MusicDnaServiceBase service) =>
        Contracts.V1.MusicDnaService.BindService(new StrictMessageBinder(binder), service);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(Strict(method), handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(Strict(method), handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(Strict(method), handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(Strict(method), handler);

    private static Method<TRequest, TResponse> Strict<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        var parse = method.RequestMarshaller.ContextualDeserializer;
        var marshaller = new Marshaller<TRequest>(method.RequestMarshaller.ContextualSerializer, context =>
        {
            try
            {
                return parse(context);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw Malformed(typeof(TRequest).Name, e);
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }

    private static RpcException Malformed(string messageType, InvalidProtocolBufferException error) => new Google.Rpc.Status
    {
        Code = (int)StatusCode.InvalidArgument,
        Message = $"The request is not a valid musicdna.v1.{messageType} message: {error.Message}",
        Details = { Any.Pack(new ErrorInfo { Reason = "MALFORMED_MESSAGE", Domain = ErrorInterceptor.ErrorDomain }) },
    }.ToRpcException();
}
