using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using MusicDna.Core.Errors;
using MusicDna.Server.Hosting;
using MusicDna.Server.Methods;

namespace MusicDna.Server.Grpc;

/// <summary>
/// Bounds the read calls and bounded writes (<see cref="CallDuration.Bounded"/>, <see cref="CallDuration.BoundedWrite"/>
/// in <see cref="MethodRules"/>) by
/// <see cref="ServerLimitsOptions.ReadCallTimeout"/> even when the client sets no deadline, so one slow or
/// abandoned-but-connected caller cannot hold server work forever. The handler sees a cancellation token that also
/// fires at the limit; the caller gets DEADLINE_EXCEEDED. A method the table does not know is bounded too.
/// </summary>
internal sealed class CallTimeLimitInterceptor(IOptions<ServerLimitsOptions> options, MethodRules rules) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (IsLongRunning(context))
        {
            return await continuation(request, context);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        limit.CancelAfter(options.Value.ReadCallTimeout);
        var started = Stopwatch.GetTimestamp();
        TResponse response;
        try
        {
            response = await continuation(request, Limited(context, limit.Token));
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw TimedOut(context);
        }

        // The limit's timer can fire late (its callback waits for a thread-pool thread), so a synchronous handler may
        // finish past the limit without having seen the token: a read's limit holds by the clock, not by the timer.
        // A bounded write that finished is answered (CallDuration.BoundedWrite).
        if (Stopwatch.GetElapsedTime(started) > options.Value.ReadCallTimeout && rules.Find(context.Method)?.Duration != CallDuration.BoundedWrite)
        {
            throw TimedOut(context);
        }

        return response;
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (IsLongRunning(context))
        {
            await continuation(request, responseStream, context);
            return;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        limit.CancelAfter(options.Value.ReadCallTimeout);
        try
        {
            await continuation(
                request, new CallerTokenStreamWriter<TResponse>(responseStream, context.CancellationToken), Limited(context, limit.Token));
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw TimedOut(context);
        }
    }

    private bool IsLongRunning(ServerCallContext context) =>
        rules.Find(context.Method)?.Duration == CallDuration.LongRunning;

    private TimeLimitedCallContext Limited(ServerCallContext context, CancellationToken token)
    {
        // grpc-dotnet resolves the service through GetHttpContext(); a replacement context must carry the
        // HttpContext in UserState under "__HttpContext" (grpc-dotnet's documented fallback for custom contexts).
        context.UserState["__HttpContext"] = context.GetHttpContext();
        return new TimeLimitedCallContext(context, DateTime.UtcNow + options.Value.ReadCallTimeout, token);
    }

    // A domain error: the ErrorInterceptor, which wraps this one, gives it its status and counts it.
    private CallTimedOutException TimedOut(ServerCallContext context) => new(
        $"{context.Method} ran past the server's limit of {options.Value.ReadCallTimeout.TotalSeconds:0.###} s for read calls (MusicDna:Limits:ReadCallTimeout).");
}
