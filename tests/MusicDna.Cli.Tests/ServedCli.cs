using System.Diagnostics;
using System.Text;

namespace MusicDna.Cli.Tests;

/// <summary>
/// `musicdna serve` as a child process over a fresh data directory on free loopback ports (no seed catalogue, no
/// start-up training), so every other command can be run against it the way a script would.
/// </summary>
public sealed class ServedCli : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _data = new("musicdna-cli-");
    private readonly StringBuilder _log = new();
    private Process? _server;

    public string Address { get; } = LoopbackPort.FreeUrl();

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public Task<CommandResult> RunAsync(params string[] arguments) => Musicdna.RunAsync([.. arguments, "--address", Address]);

    public async Task InitializeAsync()
    {
        _server = Musicdna.Start(
            "serve",
            $"--Kestrel:Endpoints:Grpc:Url={Address}",
            "--Kestrel:Endpoints:Metrics:Url=http://127.0.0.1:0",
            $"--MusicDna:DataDirectory={_data.Path}",
            "--MusicDna:Bootstrap:CatalogueCsv=",
            "--MusicDna:Bootstrap:TrainWhenNoModel=false",
            "--MusicDna:Auth:Mode=Disabled");
        _server.OutputDataReceived += (_, e) => Append(e.Data);
        _server.ErrorDataReceived += (_, e) => Append(e.Data);
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        var listening = $"Now listening on: {Address}";
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!Log.Contains(listening, StringComparison.Ordinal))
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"musicdna serve exited with {_server.ExitCode}:\n{Log}");
            }

            await Task.Delay(20, limit.Token);
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
    }

    /// <summary>After <see cref="DisposeAsync"/>: the data directory goes once the server is gone.</summary>
    public void Dispose() => _data.Dispose();

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
