namespace MusicDna.Index.Tests;

[Collection(NativeTests.Collection)]
public sealed class VectorIndexSearchTests
{
    private const int Dimension = 6;

    [Fact]
    public void Search_returns_the_same_top_k_as_brute_force_cosine_on_2000_random_vectors()
    {
        const int count = 2_000;
        const int k = 10;
        var data = RandomVectors.Rows(seed: 7, count, Dimension);
        var ids = Enumerable.Range(0, count).Select(i => 1_000_000L + (i * 37L)).ToArray();
        var queries = RandomVectors.Rows(seed: 8, 50, Dimension);
        using var index = new VectorIndex(Dimension);
        index.Upsert(ids, data);

        for (var q = 0; q < 50; q++)
        {
            var query = queries.AsSpan(q * Dimension, Dimension);
            var expected = ExactNeighbours.TopK(data, ids, query, k);

            var actual = index.Search(query, k);

            Assert.Equal(expected.Select(hit => hit.Id), actual.Select(hit => hit.Id));
            for (var i = 0; i < k; i++)
            {
                Assert.Equal(expected[i].Score, actual[i].Score, 1e-5f);
            }
        }
    }

    [Fact]
    public void SearchMany_answers_each_row_as_Search_would()
    {
        var data = RandomVectors.Rows(seed: 11, 300, Dimension);
        var ids = Enumerable.Range(1, 300).Select(i => (long)i).ToArray();
        var queries = RandomVectors.Rows(seed: 12, 5, Dimension);
        using var index = new VectorIndex(Dimension);
        index.Upsert(ids, data);

        var batched = index.SearchMany(queries, 4);

        Assert.Equal(5, batched.Count);
        for (var q = 0; q < 5; q++)
        {
            var single = index.Search(queries.AsSpan(q * Dimension, Dimension), 4);
            Assert.Equal(single.Select(hit => hit.Id), batched[q].Select(hit => hit.Id));
        }
    }

    [Fact]
    public void Single_and_batched_searches_match_brute_force_after_removals_over_several_native_scan_blocks()
    {
        // 5,000 vectors: more than one block of the shim's own scan (2,048), which answers calls of fewer than 20
        // queries; 24 queries in one call take FAISS's BLAS path instead. Removing a third first checks that the
        // scan's copy of the vectors follows the index.
        const int count = 5_000;
        const int k = 10;
        var data = RandomVectors.Rows(seed: 21, count, Dimension);
        var ids = Enumerable.Range(0, count).Select(i => (long)i).ToArray();
        using var index = new VectorIndex(Dimension);
        index.Upsert(ids, data);
        index.Remove([.. ids.Where(id => id % 3 == 0)]);
        var keptIds = ids.Where(id => id % 3 != 0).ToArray();
        var kept = keptIds.SelectMany(id => data.AsSpan((int)id * Dimension, Dimension).ToArray()).ToArray();
        var queries = RandomVectors.Rows(seed: 22, 24, Dimension);

        var batched = index.SearchMany(queries, k);

        for (var q = 0; q < 24; q++)
        {
            var query = queries.AsSpan(q * Dimension, Dimension);
            var expected = ExactNeighbours.TopK(kept, keptIds, query, k).Select(hit => hit.Id).ToArray();
            Assert.Equal(expected, index.Search(query, k).Select(hit => hit.Id));
            Assert.Equal(expected, batched[q].Select(hit => hit.Id));
        }
    }

    [Fact]
    public void Search_with_k_larger_than_the_count_returns_every_vector_and_no_padding()
    {
        using var index = new VectorIndex(Dimension);
        index.Upsert([10, 20, 30], RandomVectors.Rows(seed: 3, 3, Dimension));

        var hits = index.Search(RandomVectors.Rows(seed: 4, 1, Dimension), 50);

        Assert.Equal([10L, 20L, 30L], hits.Select(hit => hit.Id).Order());
        Assert.True(hits.Zip(hits.Skip(1)).All(pair => pair.First.Score >= pair.Second.Score), "hits are best first");
    }

    [Fact]
    public void Search_of_an_empty_index_returns_no_hits()
    {
        using var index = new VectorIndex(Dimension);

        Assert.Empty(index.Search(RandomVectors.Rows(seed: 1, 1, Dimension), 5));
    }

    [Fact]
    public void Search_scores_are_cosine_whatever_the_length_of_the_stored_and_query_vectors()
    {
        using var index = new VectorIndex(2);
        index.Upsert([1, 2, 3], [100, 0, 0, 0.001f, -7, 0]);

        var hits = index.Search([0.5f, 0], 3);

        Assert.Equal([1L, 2L, 3L], hits.Select(hit => hit.Id));
        Assert.Equal(1f, hits[0].Score, 1e-6f);
        Assert.Equal(0f, hits[1].Score, 1e-6f);
        Assert.Equal(-1f, hits[2].Score, 1e-6f);
    }

    [Fact]
    public void A_zero_vector_is_stored_as_zero_and_scores_zero()
    {
        using var index = new VectorIndex(2);
        index.Upsert([1], [0, 0]);

        var hits = index.Search([1, 1], 1);

        Assert.Equal(new SearchHit(1, 0f), hits.Single());
    }
}
