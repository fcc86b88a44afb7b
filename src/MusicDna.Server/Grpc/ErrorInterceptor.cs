using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using MusicDna.Core.Errors;
using MusicDna.Core.Text;
using MusicDna.Server.Hosting;

namespace MusicDna.Server.Grpc;

/// <summary>
/// Translates domain failures into canonical gRPC statuses with AIP-193 details (ErrorInfo always;
/// BadRequest for a bad field, ResourceInfo for a missing resource), so services never build statuses by hand.
/// Client text inside a message (an unknown id, say) is escaped: the message reaches the framework's log too.
/// </summary>
internal sealed class ErrorInterceptor(MusicDnaMetrics metrics, ILogger<ErrorInterceptor> logger) : Interceptor
{
    public const string ErrorDomain = "musicdna.v1";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (MusicDnaException e)
        {
            throw Refuse(e, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context).ConfigureAwait(false);
        }
        catch (MusicDnaException e)
        {
            throw Refuse(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (MusicDnaException e)
        {
            throw Refuse(e, context);
        }
    }

    private RpcException Refuse(MusicDnaException error, ServerCallContext context)
    {
        var code = CodeOf(error);
        metrics.Refused(code.ToString(), error.Reason);
        ServerLog.CallRefused(logger, context.Method, code, error.Reason);
        return ToRpcException(error);
    }

    internal static RpcException ToRpcException(MusicDnaException error)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)CodeOf(error),
            Message = ClientText.Escape(error.Message),
            Details = { Any.Pack(new ErrorInfo { Reason = error.Reason, Domain = ErrorDomain }) },
        };

        switch (error)
        {
            case InvalidInputException invalid:
                status.Details.Add(Any.Pack(new BadRequest
                {
                    FieldViolations = { new BadRequest.Types.FieldViolation { Field = ClientText.Escape(invalid.Field), Description = ClientText.Escape(invalid.Description) } },
                }));
                break;
            case CapacityExceededException busy:
                status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(busy.RetryAfter) }));
                break;
            case UnavailableException down:
                status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(down.RetryAfter) }));
                break;
            case NotFoundException missing:
                status.Details.Add(Any.Pack(new ResourceInfo { ResourceType = missing.ResourceType, ResourceName = ClientText.Escape(missing.ResourceName) }));
                break;
        }

        return status.ToRpcException();
    }

    private static StatusCode CodeOf(MusicDnaException error) => error switch
    {
        InvalidInputException => StatusCode.InvalidArgument,
        NotFoundException => StatusCode.NotFound,
        PreconditionFailedException => StatusCode.FailedPrecondition,
        ConflictException => StatusCode.Aborted,
        UnauthenticatedException => StatusCode.Unauthenticated,
        PermissionDeniedException => StatusCode.PermissionDenied,
        CallTimedOutException => StatusCode.DeadlineExceeded,
        CapacityExceededException => StatusCode.ResourceExhausted,
        UnavailableException => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };
}
