using System.Diagnostics;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace MusicDna.BenchDriver;

/// <summary>
/// Starts the server and times it to SERVING: from the process start to the first health check of the MusicDna
/// service that answers SERVING (the model loaded and its index rebuilt). The server keeps running after this exits;
/// its output goes to --log, and its pid is printed for bench.sh to stop it. A server that does not get there in time
/// (--timeout, default 600 s) is killed before the error is reported.
/// </summary>
internal static class StartupBench
{
    private const string Service = "musicdna.v1.MusicDnaService";

    public static async Task<int> RunAsync(BenchArguments arguments, CancellationToken ct)
    {
        var address = new Uri(arguments.Get("address"));
        var timeout = TimeSpan.FromSeconds(arguments.GetInt("timeout", 600));

        // "listening" for an empty catalogue, which has no model to serve yet.
        var untilListening = arguments.Get("until", "serving") == "listening";

        // Through a shell that hands the server its own output file, so no pipe of ours outlives this process.
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", $"exec {arguments.Get("command")} > '{arguments.Get("log")}' 2>&1 < /dev/null" },
            UseShellExecute = false,
        };
        // The driver is a fresh process too: one failed poll before the server exists JITs its own gRPC client and
        // socket code, which would otherwise be counted in the server's start-up.
        await AcceptsAsync(address, ct);
        await ServingAsync(address, ct);

        var clock = Stopwatch.StartNew();
        using var server = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");

        try
        {
            var listening = TimeSpan.Zero;
            while (clock.Elapsed < timeout)
            {
                if (server.HasExited)
                {
                    throw new InvalidOperationException($"the server exited with code {server.ExitCode}; see {arguments.Get("log")}");
                }

                if (listening == TimeSpan.Zero && await AcceptsAsync(address, ct))
                {
                    listening = clock.Elapsed;
                }

                if (listening != TimeSpan.Zero && (untilListening || await ServingAsync(address, ct)))
                {
                    var serving = clock.Elapsed;
                    return BenchResult.Print(new Dictionary<string, object>
                    {
                        ["pid"] = server.Id,
                        ["listening_s"] = listening.TotalSeconds,
                        ["serving_s"] = serving.TotalSeconds,
                    });
                }

                await Task.Delay(10, ct);
            }

            throw new TimeoutException($"the server was not SERVING within {timeout}");
        }
        catch
        {
            // bench.sh learns the pid only from a successful start: a server that never got ready is stopped here.
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }

            throw;
        }
    }

    private static async Task<bool> AcceptsAsync(Uri address, CancellationToken ct)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(address.Host, address.Port, ct);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> ServingAsync(Uri address, CancellationToken ct)
    {
        // A fresh channel per poll: a channel that failed to connect may back off before its next attempt.
        using var channel = GrpcChannel.ForAddress(address);
        try
        {
            var response = await new Health.HealthClient(channel)
                .CheckAsync(new HealthCheckRequest { Service = Service }, deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: ct);
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving;
        }
        catch (RpcException)
        {
            return false;
        }
    }
}
