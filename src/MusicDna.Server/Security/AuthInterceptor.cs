using Grpc.Core;
using Grpc.Core.Interceptors;
using MusicDna.Core.Errors;
using MusicDna.Server.Methods;

namespace MusicDna.Server.Security;

/// <summary>
/// Authenticates every MusicDna call by API key and authorises it by the role its method declares in
/// <see cref="MethodRules"/> (admin includes reader). A method the table does not know is refused, whatever the key.
/// Registered on the MusicDna service only, so health, reflection and metrics stay open. Failures are domain
/// exceptions: the global <c>ErrorInterceptor</c>, which wraps this one, turns them into statuses with ErrorInfo.
/// </summary>
internal sealed class AuthInterceptor(ApiKeyRegistry keys, MethodRules rules) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        var rule = rules.Find(context.Method)
            ?? throw new PermissionDeniedException("METHOD_NOT_DECLARED", "This method declares no role, so no caller may use it.");
        if (keys.Mode == AuthMode.Disabled)
        {
            return;
        }

        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            throw new UnauthenticatedException("API_KEY_MISSING", "Send an API key as 'authorization: Bearer <key>'.");
        }

        var caller = keys.Find(header[7..].Trim())
            ?? throw new UnauthenticatedException("API_KEY_INVALID", "The API key is not recognised.");
        Caller.Set(context, caller.Name);

        if (rule.Role == CallerRole.Admin && caller.Role != CallerRole.Admin)
        {
            var method = context.Method[(context.Method.LastIndexOf('/') + 1)..];
            throw new PermissionDeniedException(
                "ROLE_REQUIRED", $"{method} needs the '{ApiKeyRegistry.RoleName(rule.Role)}' role; key '{caller.Name}' has '{ApiKeyRegistry.RoleName(caller.Role)}'.");
        }
    }
}
