using Google.Rpc;
using Grpc.Core;

namespace MusicDna.Cli;

/// <summary>Runs a command body and turns gRPC failures into one readable line and an exit code.</summary>
internal static class Run
{
    public static async Task<int> GuardedAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
        {
            await Console.Error.WriteLineAsync($"error: no MusicDna server answers ({e.Status.Detail}). Start one with scripts/run.sh.");
            return ExitCodes.Unreachable;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
        {
            await Console.Error.WriteLineAsync($"error: {e.StatusCode}: {e.Status.Detail} (pass --api-key or set MUSICDNA_API_KEY)");
            return ExitCodes.CallFailed;
        }
        catch (RpcException e)
        {
            var reason = e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;
            await Console.Error.WriteLineAsync($"error: {e.StatusCode}{(reason is null ? "" : $" ({reason})")}: {e.Status.Detail}");
            return ExitCodes.CallFailed;
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Usage;
        }
    }
}
