using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MusicDna.Index;

namespace MusicDna.IndexBench;

/// <summary>What a fresh replica pays to serve a saved index: load time and resident memory, measured in a child
/// process so nothing the parent built is counted.</summary>
internal static class LoadBench
{
    public sealed record Outcome(double LoadSeconds, double RssBeforeMiB, double RssAfterMiB, long Count, double FirstQueryMicroseconds);

    /// <summary>The child's side: prints one JSON line.</summary>
    public static void Run(BenchOptions options)
    {
        var path = options.IndexFile ?? throw new ArgumentException("load needs --index-file");
        VectorIndex.SetThreads(1);
        var before = Measure.RssMiB();
        var (index, seconds) = Measure.Time(() => VectorIndex.Load(path));
        using (index)
        {
            var after = Measure.RssMiB();
            var query = new float[index.Dimension];
            query[0] = 1;
            var clock = Stopwatch.StartNew();
            index.Search(query, Searches.K);
            var first = clock.Elapsed.TotalMicroseconds;
            Console.WriteLine(JsonSerializer.Serialize(new Outcome(seconds, before, after, index.Count, first)));
        }
    }

    /// <summary>The parent's side: runs this program's load mode on the file and reads its line.</summary>
    public static Outcome InChildProcess(string indexFile)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, UseShellExecute = false };
        var process = Environment.ProcessPath!;
        start.FileName = process;
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            start.ArgumentList.Add(typeof(LoadBench).Assembly.Location);
        }

        foreach (var argument in new[] { "load", "--index-file", indexFile })
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"load child exited with {child.ExitCode}"));
        }

        return JsonSerializer.Deserialize<Outcome>(output.Trim().Split('\n')[^1])!;
    }
}
