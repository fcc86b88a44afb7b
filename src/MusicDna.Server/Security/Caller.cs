using Grpc.Core;

namespace MusicDna.Server.Security;

/// <summary>Who a call is for limits that apply per caller: the API key's name, or the client's address when authentication is off.</summary>
internal static class Caller
{
    private const string Key = "musicdna.caller";

    public static void Set(ServerCallContext context, string name) => context.UserState[Key] = "key:" + name;

    public static string Of(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.UserState.TryGetValue(Key, out var name) && name is string known)
        {
            return known;
        }

        // "ipv4:127.0.0.1:51234" → "ipv4:127.0.0.1": one client's connections share one share.
        var peer = context.Peer ?? "";
        var port = peer.LastIndexOf(':');
        return "peer:" + (port > peer.IndexOf(':') ? peer[..port] : peer);
    }
}
