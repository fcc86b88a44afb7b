using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace MusicDna.Testing;

/// <summary>
/// A private PostgreSQL server for tests: <c>initdb</c> into a temporary directory and <c>pg_ctl</c> on a free
/// loopback port (TCP on 127.0.0.1 only, its socket inside the directory), trust authentication, durability off for
/// speed. PostgreSQL refuses to run as root, so under root it runs as an unprivileged user (<c>nobody</c>, owning
/// the directory) through <c>runuser</c>. Stopped (and its directory deleted) when disposed, and at process exit
/// should a test run end without disposing it.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private readonly TempDirectory _root;
    private readonly string _data;
    private readonly string? _runAs;
    private int _stopped;

    private PostgresServer(TempDirectory root, string? runAs, int port, string bin)
    {
        _root = root;
        _data = Path.Combine(root.Path, "data");
        _runAs = runAs;
        Port = port;
        Bin = bin;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopQuietly();
    }

    public int Port { get; }

    public string Bin { get; }

    /// <summary>The server's log, for failure messages.</summary>
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    private string LogPath => Path.Combine(_root.Path, "server.log");

    /// <summary>The directory of PostgreSQL's programs: PG_BIN, else the newest /usr/lib/postgresql/N/bin.</summary>
    public static string? FindBin()
    {
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }

        const string debian = "/usr/lib/postgresql";
        return Directory.Exists(debian)
            ? Directory.GetDirectories(debian)
                .Where(d => File.Exists(Path.Combine(d, "bin", "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin"))
                .FirstOrDefault()
            : null;
    }

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBin() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/N/bin/pg_ctl): scripts/setup.sh installs Debian's postgresql.");
        var root = new TempDirectory("musicdna-pg-");
        var runAs = Environment.UserName == "root" ? "nobody" : null;
        if (runAs is not null && !OperatingSystem.IsWindows())
        {
            // The unprivileged user must own its directory and be able to reach it.
            File.SetUnixFileMode(root.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            await RunAsync("chown", [runAs, root.Path]);
        }

        var server = new PostgresServer(root, runAs, LoopbackPort.Free(), bin);
        try
        {
            await server.RunPgAsync("initdb", ["-D", server._data, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C"]);
            await server.StartServerAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection string to <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username={SuperUser};Database={database};Pooling=true;Timeout=5";

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "musicdna")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)];
        // Unpooled: a pooled connection would not survive a test's restart of the server.
        await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\";", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Stops the server (fast shutdown: sessions are cut, as in a real restart) and starts it again on the same port.</summary>
    public async Task RestartAsync(TimeSpan downtime)
    {
        await StopServerAsync();
        await Task.Delay(downtime);
        await StartServerAsync();
    }

    public async Task StopServerAsync() => await RunPgAsync("pg_ctl", ["-D", _data, "-m", "fast", "-w", "stop"]);

    public async Task StartServerAsync() => await RunPgAsync("pg_ctl",
    [
        "-D", _data, "-l", LogPath, "-w", "-t", "60",
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {_data} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
        "start",
    ]);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            try
            {
                if (File.Exists(Path.Combine(_data, "postmaster.pid")))
                {
                    await RunPgAsync("pg_ctl", ["-D", _data, "-m", "immediate", "-w", "stop"]);
                }
            }
            catch (InvalidOperationException)
            {
                // Already stopped.
            }

            _root.Dispose();
        }
    }

    private void StopQuietly()
    {
        if (Volatile.Read(ref _stopped) == 0)
        {
            try
            {
                DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(20));
            }
            catch (AggregateException)
            {
                // Best effort at process exit.
            }
        }
    }

    private Task RunPgAsync(string program, string[] arguments)
    {
        var path = Path.Combine(Bin, program);
        return _runAs is null ? RunAsync(path, arguments) : RunAsync("runuser", ["-u", _runAs, "--", path, .. arguments]);
    }

    private static async Task RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
