using System.Globalization;

namespace MusicDna.IndexBench;

/// <summary>The command line: <c>MODE [--name value]...</c>; every option has a default.</summary>
internal sealed record BenchOptions(
    string Mode,
    long Count,
    string Source,
    string Csv,
    string LatentsCache,
    int Queries,
    int Seed,
    int BuildThreads,
    string OutputDirectory,
    string? IndexFile,
    int? Lists,
    int? Probe,
    int[]? SweepLists,
    int[]? SweepProbes,
    bool SweepTraining,
    double[]? FilterShares)
{
    public const string Usage = """
        usage: MusicDna.IndexBench MODE [options]
          MODE       run (the figures table), sweep (lists x probe), filter (filtered-search crossover),
                     dump (the workload to --index-file, for native/tools/ann_compare.cpp),
                     load (internal: a fresh process loads --index-file and reports load time and RSS),
                     saved (one thread's search time on a saved index, --index-file, queried with its own vectors)
          --count    catalogue size (default 1000000)
          --source   model (vectors around a trained model's latents; needs --csv) or mixture (default model)
          --csv      the Spotify Tracks CSV (default ../shared/data/spotify_tracks.csv)
          --latents  cache of the model's latents (default <out>/latents.bin; written on first use)
          --queries  seeded queries (default 1000)
          --seed     data seed (default 42)
          --build-threads  FAISS threads while building (default 2; every query runs on 1)
          --out      directory for index files and the cache (default ./index-bench)
          --lists / --probe  override the factory's choice (run, filter)
          --sweep-lists 1024,2048  --sweep-probes 4,8  --sweep-training yes|no  (sweep; defaults: around the
                     factory's list count, probes 1..64, yes)
          --filter-shares 0.001,0.01  (filter: the random filters' shares; a genre of about 1 % is always added)
        """;

    private static int[] Integers(string list) =>
        [.. list.Split(',').Select(value => int.Parse(value, CultureInfo.InvariantCulture))];

    public static BenchOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            throw new ArgumentException(Usage);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --name value at '{args[i]}'.\n{Usage}");
            }

            values[args[i][2..]] = args[i + 1];
        }

        var output = values.GetValueOrDefault("out", "index-bench");
        return new BenchOptions(
            args[0],
            long.Parse(values.GetValueOrDefault("count", "1000000"), CultureInfo.InvariantCulture),
            values.GetValueOrDefault("source", "model"),
            values.GetValueOrDefault("csv", "../shared/data/spotify_tracks.csv"),
            values.GetValueOrDefault("latents", Path.Combine(output, "latents.bin")),
            int.Parse(values.GetValueOrDefault("queries", "1000"), CultureInfo.InvariantCulture),
            int.Parse(values.GetValueOrDefault("seed", "42"), CultureInfo.InvariantCulture),
            int.Parse(values.GetValueOrDefault("build-threads", "2"), CultureInfo.InvariantCulture),
            output,
            values.GetValueOrDefault("index-file"),
            values.TryGetValue("lists", out var lists) ? int.Parse(lists, CultureInfo.InvariantCulture) : null,
            values.TryGetValue("probe", out var probe) ? int.Parse(probe, CultureInfo.InvariantCulture) : null,
            values.TryGetValue("sweep-lists", out var sweepLists) ? Integers(sweepLists) : null,
            values.TryGetValue("sweep-probes", out var sweepProbes) ? Integers(sweepProbes) : null,
            values.GetValueOrDefault("sweep-training", "yes") == "yes",
            values.TryGetValue("filter-shares", out var shares)
                ? [.. shares.Split(',').Select(value => double.Parse(value, CultureInfo.InvariantCulture))]
                : null);
    }
}
