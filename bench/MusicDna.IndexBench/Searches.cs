using System.Diagnostics;
using MusicDna.Index;

namespace MusicDna.IndexBench;

/// <summary>One query per call, as a Recommend runs it, on the calling thread (FAISS set to 1 thread).</summary>
internal static class Searches
{
    public const int K = 10;

    public static (IReadOnlyList<IReadOnlyList<SearchHit>> Results, double QueriesPerSecond, double MeanMicroseconds) OneByOne(
        VectorIndex index, Workload workload, int queries, SearchOptions options, IdFilter? filter = null)
    {
        var results = new IReadOnlyList<SearchHit>[queries];
        var clock = Stopwatch.StartNew();
        for (var q = 0; q < queries; q++)
        {
            results[q] = filter is null
                ? index.Search(workload.Query(q), K, options)
                : index.Search(workload.Query(q), K, filter, options);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return (results, queries / seconds, seconds * 1e6 / queries);
    }

    /// <summary>The exact top k of every query in batched calls (FAISS's BLAS path), for ground truth.</summary>
    public static IReadOnlyList<IReadOnlyList<SearchHit>> Truth(VectorIndex exact, Workload workload, IdFilter? filter = null)
    {
        if (filter is null)
        {
            return exact.SearchMany(workload.Queries, K);
        }

        return exact.SearchMany(workload.Queries, K, filter, new SearchOptions { FilterStrategy = FilterStrategy.ScoreAllowedOnly });
    }
}
