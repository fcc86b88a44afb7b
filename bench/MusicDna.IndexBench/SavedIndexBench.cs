using System.Diagnostics;
using System.Globalization;
using MusicDna.Index;

namespace MusicDna.IndexBench;

/// <summary>
/// One thread's search time on a saved serving index (a model version's <c>index.faiss</c>), queried with its own
/// vectors as Recommend queries with a seed track's vector: load time (which builds the exact kind's cells), then
/// three passes of <c>--queries</c> searches at k = 10 and at k = 64 (the engine's first search depth).
/// </summary>
internal static class SavedIndexBench
{
    public static void Run(BenchOptions options)
    {
        var path = options.IndexFile ?? throw new ArgumentException("saved needs --index-file");
        VectorIndex.SetThreads(1);
        var (index, loadSeconds) = Measure.Time(() => VectorIndex.Load(path));
        using (index)
        {
            var stored = index.Export();
            var d = index.Dimension;
            var count = stored.Ids.Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"saved index: {count:N0} vectors, {(index.Lists == 0 ? "exact" : $"{index.Lists:N0} lists")}, loaded in {loadSeconds:F3} s"));
            var query = new float[d];
            for (var pass = 1; pass <= 3; pass++)
            {
                foreach (var k in new[] { 10, 22, 32, 64 })
                {
                    var clock = Stopwatch.StartNew();
                    for (var i = 0; i < options.Queries; i++)
                    {
                        // Rows spread over the catalogue, the same ones in every pass.
                        var row = (int)((i * 7919L) % count);
                        stored.Vectors.AsSpan(row * d, d).CopyTo(query);
                        index.Search(query, k);
                    }

                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"pass {pass} k={k}: {clock.Elapsed.TotalMicroseconds / options.Queries:F2} us a search"));
                }
            }
        }
    }
}
