using BenchmarkDotNet.Attributes;
using MusicDna.Index;

namespace MusicDna.Benchmarks;

/// <summary>
/// FAISS exact search over a catalogue-sized index (89,741 × 6, the dataset's distinct tracks) on one OpenMP thread,
/// as the server runs it: one query per call (what each Recommend does) against 16 queries per call (what
/// micro-batching concurrent calls would do), reported per query.
/// </summary>
[MemoryDiagnoser]
public class IndexSearchBenchmarks : IDisposable
{
    private const int Dimension = 6;
    private const int Batch = 16;
    private VectorIndex _index = null!;
    private float[] _queries = null!;

    [Params(89_741)]
    public int Tracks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        VectorIndex.SetThreads(1);
        var random = new Random(42);
        var vectors = new float[Tracks * Dimension];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = (float)((random.NextDouble() * 2) - 1);
        }

        _index = new VectorIndex(Dimension);
        _index.Upsert([.. Enumerable.Range(0, Tracks).Select(i => (long)i)], vectors);
        _queries = vectors[..(Batch * Dimension)];
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _index.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public IReadOnlyList<SearchHit> SearchOneK11() => _index.Search(_queries.AsSpan(0, Dimension), 11);

    [Benchmark(OperationsPerInvoke = Batch)]
    public IReadOnlyList<IReadOnlyList<SearchHit>> SearchBatch16K11() => _index.SearchMany(_queries, 11);
}
