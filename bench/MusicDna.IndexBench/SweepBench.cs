using System.Globalization;
using MusicDna.Index;

namespace MusicDna.IndexBench;

/// <summary>
/// The parameter sweep behind the factory's defaults: for list counts around <see cref="VectorIndexOptions.ListsFor"/>,
/// build time and, per probe depth, recall@10 against exact search and single-thread latency (the fastest of three
/// passes); then, at the default list count, the training sample's size.
/// </summary>
internal static class SweepBench
{
    private const int Passes = 3;

    private static readonly int[] DefaultProbes = [1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64];

    public static async Task RunAsync(BenchOptions options)
    {
        var workload = await Workload.CreateAsync(options).ConfigureAwait(false);
        Console.WriteLine($"# sweep: {workload.Count:N0} vectors {workload.Description}; {workload.QueryCount:N0} queries, k = {Searches.K}");
        VectorIndex.SetThreads(options.BuildThreads);
        IReadOnlyList<IReadOnlyList<SearchHit>> truth;
        using (var exact = VectorIndexFactory.Create(workload.Dimension, workload.Ids, workload.Vectors, new VectorIndexOptions { ApproximateFrom = long.MaxValue }))
        {
            truth = Searches.Truth(exact, workload);
        }

        var chosen = VectorIndexOptions.Default.ListsFor(workload.Count);
        var probes = options.SweepProbes ?? DefaultProbes;
        var listCounts = options.SweepLists ?? [chosen / 4, chosen / 2, chosen, chosen * 2, chosen * 4];
        Console.WriteLine("| lists | build s | " + string.Join(" | ", probes.Select(p => $"probe {p}")) + " |");
        Console.WriteLine("| --- | --- | " + string.Join(" | ", probes.Select(_ => "---")) + " |");
        foreach (var lists in listCounts.Where(l => l >= 16))
        {
            VectorIndex.SetThreads(options.BuildThreads);
            var (index, build) = Measure.Time(() => VectorIndexFactory.Create(
                workload.Dimension, workload.Ids, workload.Vectors, new VectorIndexOptions { ApproximateFrom = 0, Lists = lists, Probe = 1 }));
            using (index)
            {
                VectorIndex.SetThreads(1);
                // The fastest of three passes: on a shared box the slower passes measure the neighbours' load.
                var cells = probes.Where(p => p <= lists).Select(probe =>
                {
                    var runs = Enumerable.Range(0, Passes)
                        .Select(_ => Searches.OneByOne(index, workload, workload.QueryCount, new SearchOptions { Probe = probe }))
                        .ToList();
                    return $"{F(Recall.AtK(runs[0].Results, truth), "F4")} / {F(runs.Min(run => run.MeanMicroseconds), "N0")} µs";
                }).ToList();
                Console.WriteLine($"| {lists} | {F(build, "F1")} | {string.Join(" | ", cells)} |");
            }
        }

        if (!options.SweepTraining)
        {
            return;
        }

        var probe = VectorIndexOptions.Default.ProbeFor(chosen);
        Console.WriteLine();
        Console.WriteLine($"| training rows per list ({chosen} lists) | build s | recall@10 at probe {probe} | at probe {probe / 2} |");
        Console.WriteLine("| --- | --- | --- | --- |");
        foreach (var perList in new[] { 32, 64, 128, 256 })
        {
            VectorIndex.SetThreads(options.BuildThreads);
            var (index, build) = Measure.Time(() => VectorIndexFactory.Create(
                workload.Dimension, workload.Ids, workload.Vectors, new VectorIndexOptions { ApproximateFrom = 0, TrainingRowsPerList = perList }));
            using (index)
            {
                VectorIndex.SetThreads(1);
                var atDefault = Recall.AtK(Searches.OneByOne(index, workload, workload.QueryCount, new SearchOptions { Probe = probe }).Results, truth);
                var atHalf = Recall.AtK(Searches.OneByOne(index, workload, workload.QueryCount, new SearchOptions { Probe = Math.Max(1, probe / 2) }).Results, truth);
                Console.WriteLine($"| {perList} | {F(build, "F1")} | {F(atDefault, "F4")} | {F(atHalf, "F4")} |");
            }
        }
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
