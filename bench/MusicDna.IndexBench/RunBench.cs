using System.Globalization;
using MusicDna.Index;

namespace MusicDna.IndexBench;

/// <summary>
/// The figures table of docs/index.md for one catalogue size: both kinds built by the factory, recall@10 of the
/// inverted file against exact search over the seeded queries, single-thread queries/s of both measured in
/// alternating rounds, build, save and load times, file sizes, RSS, and a filtered query (~1 % qualifies).
/// </summary>
internal static class RunBench
{
    private const int Rounds = 3;

    public static async Task RunAsync(BenchOptions options)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        var (workload, generateSeconds) = await TimeAsync(() => Workload.CreateAsync(options)).ConfigureAwait(false);
        Console.WriteLine($"# {workload.Count:N0} vectors ({workload.Dimension}-d) {workload.Description}; {workload.QueryCount:N0} queries; generated in {generateSeconds:F1} s");
        var rssData = Measure.RssMiB();

        VectorIndex.SetThreads(options.BuildThreads);
        var approximateOptions = new VectorIndexOptions { ApproximateFrom = 0, Lists = options.Lists, Probe = options.Probe };
        var (ivf, ivfBuild) = Measure.Time(() => VectorIndexFactory.Create(workload.Dimension, workload.Ids, workload.Vectors, approximateOptions));
        var rssIvf = Measure.RssMiB();
        var (exact, exactBuild) = Measure.Time(() => VectorIndexFactory.Create(
            workload.Dimension, workload.Ids, workload.Vectors, new VectorIndexOptions { ApproximateFrom = long.MaxValue }));
        var rssExact = Measure.RssMiB();
        using (ivf)
        using (exact)
        {
            Console.WriteLine($"# inverted file: {ivf.Lists} lists, probe {ivf.Probe}; built with {options.BuildThreads} FAISS threads; queries on 1");
            var truth = Searches.Truth(exact, workload);

            VectorIndex.SetThreads(1);
            var exactQueries = Math.Min(workload.QueryCount, (int)Math.Clamp(1_000_000_000L / workload.Count, 50, workload.QueryCount));
            var exactRates = new List<double>();
            var ivfRates = new List<double>();
            var ratios = new List<double>();
            IReadOnlyList<IReadOnlyList<SearchHit>> ivfResults = [];
            for (var round = 0; round < Rounds; round++)
            {
                var exactRun = Searches.OneByOne(exact, workload, exactQueries, SearchOptions.Default);
                var ivfRun = Searches.OneByOne(ivf, workload, workload.QueryCount, SearchOptions.Default);
                exactRates.Add(exactRun.QueriesPerSecond);
                ivfRates.Add(ivfRun.QueriesPerSecond);
                ratios.Add(ivfRun.QueriesPerSecond / exactRun.QueriesPerSecond);
                ivfResults = ivfRun.Results;
            }

            var recall = Recall.AtK(ivfResults, truth);
            var exactSelf = Recall.AtK(Searches.OneByOne(exact, workload, workload.QueryCount, SearchOptions.Default).Results, truth);

            var ivfFile = Path.Combine(options.OutputDirectory, $"ivf-{workload.Count}.faiss");
            var exactFile = Path.Combine(options.OutputDirectory, $"exact-{workload.Count}.faiss");
            var ivfSave = Measure.Time(() => ivf.Save(ivfFile));
            var exactSave = Measure.Time(() => exact.Save(exactFile));

            var filtered = FilteredRows(workload, exact, ivf);
            var exactChanges = ChangeLatencies(exact, workload, Math.Clamp((int)(20_000_000L / workload.Count), 5, 200));
            var ivfChanges = ChangeLatencies(ivf, workload, 200);

            var ivfLoad = LoadBench.InChildProcess(ivfFile);
            var exactLoad = LoadBench.InChildProcess(exactFile);

            Console.WriteLine();
            Console.WriteLine($"| {workload.Count:N0} vectors | exact | inverted file ({ivf.Lists} lists, probe {ivf.Probe}) |");
            Console.WriteLine("| --- | --- | --- |");
            Row("recall@10 vs exact", F(exactSelf, "F4"), F(recall, "F4"));
            Row($"single-thread queries/s (median of {Rounds} alternating rounds)", F(Measure.Median(exactRates), "N0"), F(Measure.Median(ivfRates), "N0"));
            Row("speed-up, per round", "1", string.Join(" / ", ratios.Select(r => F(r, "F1"))) + "×");
            Row("mean latency per query", $"{F(1e6 / Measure.Median(exactRates), "N0")} µs", $"{F(1e6 / Measure.Median(ivfRates), "N0")} µs");
            Row($"build ({options.BuildThreads} threads)", $"{F(exactBuild, "F2")} s", $"{F(ivfBuild, "F2")} s (train + add)");
            Row("save", $"{F(exactSave, "F2")} s", $"{F(ivfSave, "F2")} s");
            Row("file size", $"{MiB(new FileInfo(exactFile).Length)} MiB", $"{MiB(new FileInfo(ivfFile).Length)} MiB");
            Row("load in a fresh process", $"{F(exactLoad.LoadSeconds, "F2")} s", $"{F(ivfLoad.LoadSeconds, "F2")} s");
            Row("RSS of that process after load (before)", $"{F(exactLoad.RssAfterMiB, "N0")} MiB ({F(exactLoad.RssBeforeMiB, "N0")})", $"{F(ivfLoad.RssAfterMiB, "N0")} MiB ({F(ivfLoad.RssBeforeMiB, "N0")})");
            Row("RSS growth when built here (GC'd; glibc may keep freed pages)", $"{F(rssExact - rssIvf, "N0")} MiB", $"{F(rssIvf - rssData, "N0")} MiB");
            Row("peak RSS of this process (data, both indexes, truth)", $"{F(Measure.PeakRssMiB(), "N0")} MiB", "");
            Row("one upsert of a new id / a replacing upsert / one remove (mean)", exactChanges, ivfChanges);
            foreach (var line in filtered)
            {
                Row(line.Name, line.Exact, line.Ivf);
            }
        }
    }

    private sealed record FilteredRow(string Name, string Exact, string Ivf);

    /// <summary>One genre (~1 % of the catalogue: a filter correlated with the space) and a random 1 % of the ids
    /// (uncorrelated); Auto strategy on both kinds, recall against the exact filtered top 10.</summary>
    private static List<FilteredRow> FilteredRows(Workload workload, VectorIndex exact, VectorIndex ivf)
    {
        var rows = new List<FilteredRow>();
        var (genre, genreIds) = workload.GenreNearestShare(0.01);
        var filters = new (string Name, long[] Ids)[]
        {
            ($"genre {genre}", genreIds),
            ("random ids", workload.RandomShare(0.01, seed: 7)),
        };
        foreach (var (name, ids) in filters)
        {
            using var filter = IdFilter.FromIds(ids);
            VectorIndex.SetThreads(2);
            var truth = Searches.Truth(exact, workload, filter);
            VectorIndex.SetThreads(1);
            var queries = Math.Min(workload.QueryCount, (int)Math.Clamp(1_000_000_000L / workload.Count, 50, workload.QueryCount));
            var exactRun = Searches.OneByOne(exact, workload, queries, SearchOptions.Default, filter);
            var ivfRun = Searches.OneByOne(ivf, workload, workload.QueryCount, SearchOptions.Default, filter);
            var share = (double)ids.Length / workload.Count;
            var strategy = ivf.FilterPolicy.Choose(VectorIndexKind.InvertedFile, ids.Length, workload.Count);
            var exactStrategy = exact.FilterPolicy.Choose(VectorIndexKind.Exact, ids.Length, workload.Count);
            var full = ivfRun.Results.Count(hits => hits.Count == Searches.K);
            rows.Add(new FilteredRow(
                $"filtered, {name} ({share:P2} qualify): recall@10, mean latency, strategy",
                $"{F(Recall.AtK(exactRun.Results, truth.Take(queries).ToList()), "F4")}, {F(exactRun.MeanMicroseconds, "N0")} µs, {exactStrategy}",
                $"{F(Recall.AtK(ivfRun.Results, truth), "F4")}, {F(ivfRun.MeanMicroseconds, "N0")} µs, {strategy} ({full}/{workload.QueryCount} queries got 10)"));
        }

        return rows;
    }

    /// <summary>Mean latency of single-vector changes, as a live ingest or delete makes them: upserts of new ids,
    /// upserts replacing existing ids, removals (each of the ids just added, so the index ends as it began).</summary>
    private static string ChangeLatencies(VectorIndex index, Workload workload, int changes)
    {
        var d = workload.Dimension;
        var fresh = workload.Count + 1_000_000L;
        var insert = Measure.Time(() =>
        {
            for (var i = 0; i < changes; i++)
            {
                index.Upsert([fresh + i], workload.Query(i % workload.QueryCount));
            }
        });
        var replace = Measure.Time(() =>
        {
            for (var i = 0; i < changes; i++)
            {
                index.Upsert([fresh + i], workload.Vectors.AsSpan(i * d, d));
            }
        });
        var remove = Measure.Time(() =>
        {
            for (var i = 0; i < changes; i++)
            {
                index.Remove([fresh + i]);
            }
        });
        return $"{Micro(insert / changes)} / {Micro(replace / changes)} / {Micro(remove / changes)} ({changes} each)";
    }

    private static string Micro(double seconds) =>
        seconds >= 1e-3 ? $"{F(seconds * 1e3, "N1")} ms" : $"{F(seconds * 1e6, "N0")} µs";

    private static async Task<(T Result, double Seconds)> TimeAsync<T>(Func<Task<T>> action)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await action().ConfigureAwait(false);
        return (result, clock.Elapsed.TotalSeconds);
    }

    private static void Row(string name, string exact, string ivf) => Console.WriteLine($"| {name} | {exact} | {ivf} |");

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string MiB(long bytes) => F(bytes / (1024d * 1024d), "N0");
}
