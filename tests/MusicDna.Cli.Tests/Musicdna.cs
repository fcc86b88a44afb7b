using System.Diagnostics;
using System.Text;

namespace MusicDna.Cli.Tests;

/// <summary>The `musicdna` command as a user runs it: `dotnet musicdna.dll ...` from this build's CLI output.</summary>
public static class Musicdna
{
    public static string Dll => Repository.BuildOutput("MusicDna.Cli", "musicdna.dll");

    /// <summary>The sample catalogue that ships with the server (copied next to the CLI).</summary>
    public static string SampleCsv => Path.Combine(Path.GetDirectoryName(Dll)!, "seed", "spotify_tracks_sample.csv");

    /// <summary>Runs one command to its exit, with a generous limit, and returns what it printed on each stream.</summary>
    public static async Task<CommandResult> RunAsync(params string[] arguments)
    {
        using var process = Start(arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    public static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("MUSICDNA_ADDRESS");
        start.Environment.Remove("MUSICDNA_API_KEY");
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }
}
