using Grpc.Core;
using Grpc.Core.Interceptors;
using MusicDna.Core.Errors;

namespace MusicDna.Server.Security;

/// <summary>
/// Authenticates every MusicDna call by API key and authorises it by role: Train and BulkIngest need
/// <c>admin</c>; Embed and Recommend need <c>reader</c> (admin includes reader). Registered on the MusicDna service
/// only, so health, reflection and metrics stay open. Failures are domain exceptions: the global
/// <c>ErrorInterceptor</c>, which wraps this one, turns them into statuses with ErrorInfo.
/// </summary>
internal sealed class AuthInterceptor(ApiKeyRegistry keys) : Interceptor
{
    private static readonly HashSet<string> AdminMethods = new(StringComparer.Ordinal) { "Train", "BulkIngest" };

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

    private void Authorize(ServerCallContext context)
    {
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

        var method = context.Method[(context.Method.LastIndexOf('/') + 1)..];
        var needed = AdminMethods.Contains(method) ? ApiKeyRegistry.AdminRole : ApiKeyRegistry.ReaderRole;
        if (needed == ApiKeyRegistry.AdminRole && caller.Role != ApiKeyRegistry.AdminRole)
        {
            throw new PermissionDeniedException(
                "ROLE_REQUIRED", $"{method} needs the '{needed}' role; key '{caller.Name}' has '{caller.Role}'.");
        }
    }
}
