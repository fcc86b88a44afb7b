namespace MusicDna.Index.Tests;

/// <summary>The behaviour a caller relies on through <see cref="IVectorIndex"/>, whichever index is behind it.</summary>
[Collection(NativeTests.Collection)]
public sealed class VectorIndexContractTests
{
    private const int Dimension = 6;
    private const int Count = 3_000;

    public static TheoryData<string> Indexes() => ["exact", "inverted file", "scaling"];

    [Theory]
    [MemberData(nameof(Indexes))]
    public void Upserted_vectors_are_found_replaced_and_removed_through_the_interface(string which)
    {
        var data = RandomVectors.Clustered(seed: 71, Count, Dimension);
        using var index = Create(which, data, RandomVectors.Ids(Count, first: 1));
        float[] fresh = [0, 0, 0, 0, 0, 1];
        float[] moved = [1, 0, 0, 0, 0, 0];

        index.Upsert([50_000], fresh);
        Assert.Equal(50_000L, index.Search(fresh, 1).Single().Id);
        index.Upsert([50_000], moved);
        Assert.Equal(50_000L, index.Search(moved, 1).Single().Id);
        Assert.Equal(Count + 1, index.Count);

        Assert.Equal(1, index.Remove([50_000, 50_001]));
        Assert.DoesNotContain(index.Search(moved, 20, new SearchOptions { Probe = 1 }), hit => hit.Id == 50_000);
        Assert.False(index.TryGetVector(50_000, new float[Dimension]));
        Assert.Equal(Count, index.Count);
    }

    [Theory]
    [MemberData(nameof(Indexes))]
    public void Every_search_form_returns_k_hits_best_first_and_filters_hold(string which)
    {
        var data = RandomVectors.Clustered(seed: 72, Count, Dimension);
        var ids = RandomVectors.Ids(Count, first: 1);
        using var index = Create(which, data, ids);
        using var filter = IdFilter.FromIds(ids.Where(id => id % 20 == 0).ToArray());
        var queries = RandomVectors.Rows(seed: 73, 4, Dimension);

        var results = new List<IReadOnlyList<SearchHit>>
        {
            index.Search(queries.AsSpan(0, Dimension), 30),
            index.Search(queries.AsSpan(0, Dimension), 30, filter),
        };
        results.AddRange(index.SearchMany(queries, 30));
        results.AddRange(index.SearchMany(queries, 30, filter, new SearchOptions { FilterStrategy = FilterStrategy.SkipDisallowed }));

        Assert.All(results, hits =>
        {
            Assert.Equal(30, hits.Count);
            Assert.True(hits.Zip(hits.Skip(1)).All(pair => pair.First.Score >= pair.Second.Score), "hits are best first");
        });
        Assert.All(results[1], hit => Assert.Equal(0, hit.Id % 20));
        Assert.All(results.Skip(6), hits => Assert.All(hits, hit => Assert.Equal(0, hit.Id % 20)));
    }

    private static IVectorIndex Create(string which, float[] data, long[] ids) => which switch
    {
        "exact" => VectorIndexFactory.Create(Dimension, ids, data, new VectorIndexOptions { ApproximateFrom = long.MaxValue }),
        "inverted file" => VectorIndexFactory.Create(Dimension, ids, data, new VectorIndexOptions { ApproximateFrom = 0, Lists = 32, Probe = 2 }),
        _ => ScalingVectorIndex.Create(Dimension, ids, data, new VectorIndexOptions { ApproximateFrom = 2_000, TrainingRowsPerList = 40 }),
    };
}
