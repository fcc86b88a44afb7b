using System.Globalization;
using MusicDna.Index;

namespace MusicDna.IndexBench;

/// <summary>
/// The filtered-search crossover behind <see cref="FilterPolicy"/>: for filters allowing a range of shares of the
/// catalogue, single-thread latency and recall@10 (against the exact filtered top 10) of each strategy on each kind,
/// and, for the inverted file skipping disallowed vectors, of several probe-growth exponents.
/// </summary>
internal static class FilterBench
{
    private const int MaxScoredAllowed = 200_000;

    private static readonly double[] DefaultShares = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.3];
    private static readonly double[] Exponents = [0, 0.25, 0.5, 0.75, 1];

    public static async Task RunAsync(BenchOptions options)
    {
        var workload = await Workload.CreateAsync(options).ConfigureAwait(false);
        VectorIndex.SetThreads(options.BuildThreads);
        using var exact = VectorIndexFactory.Create(workload.Dimension, workload.Ids, workload.Vectors, new VectorIndexOptions { ApproximateFrom = long.MaxValue });
        using var ivf = VectorIndexFactory.Create(
            workload.Dimension, workload.Ids, workload.Vectors, new VectorIndexOptions { ApproximateFrom = 0, Lists = options.Lists, Probe = options.Probe });
        Console.WriteLine($"# filter: {workload.Count:N0} vectors {workload.Description}; inverted file {ivf.Lists} lists, probe {ivf.Probe}; k = {Searches.K}; cells: recall@10 / mean µs per query");
        Console.WriteLine("| filter | share | exact skip | exact score-allowed | ivf score-allowed | ivf auto | " + string.Join(" | ", Exponents.Select(e => $"ivf skip, exponent {F(e, "G2")}")) + " |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | " + string.Join(" | ", Exponents.Select(_ => "---")) + " |");

        var filters = (options.FilterShares ?? DefaultShares).Select(share => ($"random", workload.RandomShare(share, seed: 11))).ToList();
        var (genre, genreIds) = workload.GenreNearestShare(0.01);
        filters.Add(($"genre {genre}", genreIds));
        var exactQueries = Math.Min(workload.QueryCount, (int)Math.Clamp(500_000_000L / workload.Count, 30, workload.QueryCount));
        foreach (var (name, ids) in filters)
        {
            using var filter = IdFilter.FromIds(ids);
            VectorIndex.SetThreads(options.BuildThreads);
            var truth = Searches.Truth(exact, workload, filter);
            VectorIndex.SetThreads(1);
            // Scoring the allowed ids one lookup at a time is measured only where it can win: past a few percent
            // it costs seconds a query at 10M and the cell would say nothing new.
            var scoreAllowed = ids.Length <= MaxScoredAllowed;
            var scoreQueries = Math.Min(workload.QueryCount, exactQueries);
            var cells = new List<string>
            {
                Cell(Searches.OneByOne(exact, workload, exactQueries, new SearchOptions { FilterStrategy = FilterStrategy.SkipDisallowed }, filter), truth),
                scoreAllowed ? Cell(Searches.OneByOne(exact, workload, scoreQueries, new SearchOptions { FilterStrategy = FilterStrategy.ScoreAllowedOnly }, filter), truth) : "—",
                scoreAllowed ? Cell(Searches.OneByOne(ivf, workload, scoreQueries, new SearchOptions { FilterStrategy = FilterStrategy.ScoreAllowedOnly }, filter), truth) : "—",
            };
            var auto = Searches.OneByOne(ivf, workload, workload.QueryCount, SearchOptions.Default, filter);
            var autoStrategy = ivf.FilterPolicy.Choose(VectorIndexKind.InvertedFile, filter.Count, workload.Count);
            cells.Add($"{Cell(auto, truth)} ({autoStrategy})");
            foreach (var exponent in Exponents)
            {
                var policy = new FilterPolicy { ProbeGrowthExponent = exponent };
                var probe = (int)policy.ProbeFor(ivf.Probe, ivf.Lists, filter.Count, workload.Count);
                var run = Searches.OneByOne(ivf, workload, workload.QueryCount, new SearchOptions { FilterStrategy = FilterStrategy.SkipDisallowed, Probe = probe }, filter);
                cells.Add($"{Cell(run, truth)} (probe {probe})");
            }

            Console.WriteLine($"| {name} | {F((double)ids.Length / workload.Count, "P2")} | {string.Join(" | ", cells)} |");
        }
    }

    private static string Cell(
        (IReadOnlyList<IReadOnlyList<SearchHit>> Results, double QueriesPerSecond, double MeanMicroseconds) run,
        IReadOnlyList<IReadOnlyList<SearchHit>> truth) =>
        $"{F(Recall.AtK(run.Results, truth.Take(run.Results.Count).ToList()), "F4")} / {F(run.MeanMicroseconds, "N0")}";

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
