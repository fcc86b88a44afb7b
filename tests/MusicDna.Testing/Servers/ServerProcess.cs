using System.Diagnostics;
using System.Text;
using Grpc.Net.Client;
using MusicDna.Contracts.V1;

namespace MusicDna.Testing;

/// <summary>
/// The real server as a child process (the build in src/MusicDna.Server/bin), for tests that kill it, signal it
/// or watch it refuse to start. Output is captured for the failure message.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, int port)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Port = port;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        Client = new MusicDnaService.MusicDnaServiceClient(Channel);
    }

    public int Port { get; }

    public GrpcChannel Channel { get; }

    public MusicDnaService.MusicDnaServiceClient Client { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string ServerDll => Repository.BuildOutput("MusicDna.Server", "MusicDna.Server.dll");

    /// <summary>Starts the server over <paramref name="dataDirectory"/> and waits until it listens.</summary>
    /// <param name="dataDirectory">The data directory.</param>
    /// <param name="port">The gRPC port; 0 picks a free one.</param>
    /// <param name="settings">Extra configuration as command-line settings (key=value), e.g. a TLS endpoint.</param>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, int port = 0, params string[] settings)
    {
        port = port == 0 ? LoopbackPort.Free() : port;
        var server = new ServerProcess(Launch(dataDirectory, port, settings), port);
        var scheme = settings.Any(a => a.Contains("https://", StringComparison.Ordinal)) ? "https" : "http";
        var listening = $"Now listening on: {scheme}://127.0.0.1:{port}";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!server.Output.Contains(listening, StringComparison.Ordinal))
        {
            if (server._process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {server._process.ExitCode}:\n{server.Output}");
            }

            await Task.Delay(20, timeout.Token);
        }

        return server;
    }

    /// <summary>Runs the server to its exit (for start-up refusals): exit code and everything it printed.</summary>
    /// <param name="dataDirectory">The data directory.</param>
    /// <param name="settings">Extra configuration as command-line settings (key=value); later ones win.</param>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string dataDirectory, params string[] settings)
    {
        var server = new ServerProcess(Launch(dataDirectory, LoopbackPort.Free(), settings), 0);
        await using (server)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await server._process.WaitForExitAsync(timeout.Token);
            return (server._process.ExitCode, server.Output);
        }
    }

    /// <summary>SIGKILL: no chance to flush or clean up, like a power cut for the process.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then waits for the exit; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private static Process Launch(string dataDirectory, int port, string[]? settings = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            ServerDll,
            $"--MusicDna:DataDirectory={dataDirectory}",
            "--MusicDna:Bootstrap:CatalogueCsv=",
            "--MusicDna:Bootstrap:TrainWhenNoModel=false",
            "--MusicDna:Auth:Mode=Disabled",
            $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{port}",
            "--Kestrel:Endpoints:Metrics:Url=http://127.0.0.1:0", // the system picks a free port: no race
        }.Concat((settings ?? []).Select(setting => "--" + setting)))
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        return process;
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
