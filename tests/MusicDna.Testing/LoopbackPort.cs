using System.Net;
using System.Net.Sockets;

namespace MusicDna.Testing;

/// <summary>Ports for servers the tests start: on 127.0.0.1 only, never a fixed one (a server may already serve there).</summary>
public static class LoopbackPort
{
    /// <summary>A port free on 127.0.0.1 at the moment of the call (the system's choice for port 0).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An http:// URL on a free loopback port.</summary>
    public static string FreeUrl() => $"http://127.0.0.1:{Free()}";
}
