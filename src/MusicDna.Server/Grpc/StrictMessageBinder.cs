using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace MusicDna.Server.Grpc;

/// <summary>
/// Binds the MusicDna service with request marshallers that turn a message that is not valid protobuf into
/// INVALID_ARGUMENT (reason MALFORMED_MESSAGE), and a message over <see cref="MaxRequestBytes"/> into
/// RESOURCE_EXHAUSTED (reason MESSAGE_TOO_LARGE), both with ErrorInfo. grpc-dotnet deserialises unary and
/// server-streaming requests before any interceptor runs and would otherwise answer UNKNOWN for plain bad input, and
/// its own size refusal carries no details; its hard limit (<see cref="FrameworkMaxRequestBytes"/>) stays as the
/// backstop for larger messages. Wired by <c>[BindServiceMethod]</c> on <see cref="MusicDnaGrpcService"/>, which
/// grpc-dotnet prefers to the generated base class's.
/// </summary>
internal sealed class StrictMessageBinder(ServiceBinderBase inner) : ServiceBinderBase
{
    /// <summary>Largest request message MusicDna accepts (a full 10,000-track ingest batch is a small part of it).</summary>
    public const int MaxRequestBytes = 16 * 1024 * 1024;

    /// <summary>What grpc-dotnet itself buffers at most: larger messages are refused before they are read.</summary>
    public const int FrameworkMaxRequestBytes = 2 * MaxRequestBytes;

    private static long _refused;

    /// <summary>Request messages refused as malformed or too large since start-up.</summary>
    public static long Refused => Interlocked.Read(ref _refused);

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
            if (context.PayloadLength > MaxRequestBytes)
            {
                Interlocked.Increment(ref _refused);
                throw TooLarge(typeof(TRequest).Name, context.PayloadLength);
            }

            try
            {
                return parse(context);
            }
            catch (InvalidProtocolBufferException e)
            {
                Interlocked.Increment(ref _refused);
                throw Malformed(typeof(TRequest).Name, e);
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }

    private static RpcException TooLarge(string messageType, int bytes) => new Google.Rpc.Status
    {
        Code = (int)StatusCode.ResourceExhausted,
        Message = $"The musicdna.v1.{messageType} message is {bytes} bytes; at most {MaxRequestBytes} are accepted (split the work into smaller messages).",
        Details = { Any.Pack(new ErrorInfo { Reason = "MESSAGE_TOO_LARGE", Domain = ErrorInterceptor.ErrorDomain }) },
    }.ToRpcException();

    private static RpcException Malformed(string messageType, InvalidProtocolBufferException error) => new Google.Rpc.Status
    {
        Code = (int)StatusCode.InvalidArgument,
        Message = $"The request is not a valid musicdna.v1.{messageType} message: {error.Message}",
        Details = { Any.Pack(new ErrorInfo { Reason = "MALFORMED_MESSAGE", Domain = ErrorInterceptor.ErrorDomain }) },
    }.ToRpcException();
}
