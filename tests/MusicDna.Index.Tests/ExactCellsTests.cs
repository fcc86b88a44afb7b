namespace MusicDna.Index.Tests;

/// <summary>
/// The exact index from 16,384 vectors on answers from cells (a pruned scan that skips the cells whose bound says no
/// row can enter the top k): every answer must still be the brute-force top k, through adds, removals, filters,
/// a reload, and ties between identical vectors.
/// </summary>
[Collection(NativeTests.Collection)]
public sealed class ExactCellsTests
{
    private const int Dimension = 6;
    private const int AboveCells = 20_000;

    public static TheoryData<string, int> Shapes => new()
    {
        { "uniform", 1 },
        { "uniform", 10 },
        { "clustered", 10 },
        { "clustered", 64 },
        { "clustered", 1_500 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Search_above_the_cell_threshold_returns_the_brute_force_top_k(string shape, int k)
    {
        var data = shape == "uniform"
            ? RandomVectors.Rows(seed: 101, AboveCells, Dimension)
            : RandomVectors.Clustered(seed: 101, AboveCells, Dimension);
        var ids = Enumerable.Range(0, AboveCells).Select(i => 10L + (i * 3L)).ToArray();
        using var index = new VectorIndex(Dimension);
        index.Upsert(ids, data);

        AssertBruteForce(index, data, ids, RandomVectors.Rows(seed: 102, 100, Dimension), k);
        // Queries on the catalogue's own vectors: the neighbours sit in the query's own cell and the next ones.
        AssertBruteForce(index, data, ids, data.AsSpan(0, 100 * Dimension).ToArray(), k);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 10)]
    [InlineData(3, 10)]
    public void Search_in_two_and_three_dimensions_where_neighbours_sit_on_the_edges_of_cells_returns_the_brute_force_top_k(int dimension, int k)
    {
        // On a circle a cell is an arc, and a query's next neighbours lie just past the edge of the next arc: every
        // bound that lets a cell be skipped is tight, so a bound too low by a hair loses rows here.
        var data = RandomVectors.Rows(seed: 151, AboveCells, dimension);
        var ids = Enumerable.Range(0, AboveCells).Select(i => 1L + i).ToArray();
        var queries = RandomVectors.Rows(seed: 152, 300, dimension);
        using var index = new VectorIndex(dimension);
        index.Upsert(ids, data);

        for (var q = 0; q < 300; q++)
        {
            var query = queries.AsSpan(q * dimension, dimension);
            var expected = ExactNeighbours.TopK(data, ids, query, k);
            var actual = index.Search(query, k);
            Assert.Equal(expected.Select(hit => hit.Score), actual.Select(hit => hit.Score), (a, b) => Math.Abs(a - b) < 1e-6f);
        }
    }

    [Fact]
    public void Search_follows_appends_removals_and_a_shrink_that_rebuilds_the_cells()
    {
        const int k = 25;
        var data = RandomVectors.Clustered(seed: 111, 3 * AboveCells, Dimension);
        var allIds = Enumerable.Range(1, 3 * AboveCells).Select(i => (long)i).ToArray();
        using var index = new VectorIndex(Dimension);
        var queries = RandomVectors.Rows(seed: 112, 12, Dimension);

        // Built at 20,000, then appended to in batches (placed in the existing cells), then past twice the build size.
        index.Upsert(allIds.AsSpan(0, AboveCells), data.AsSpan(0, AboveCells * Dimension));
        for (var start = AboveCells; start < 3 * AboveCells; start += 5_000)
        {
            index.Upsert(allIds.AsSpan(start, 5_000), data.AsSpan(start * Dimension, 5_000 * Dimension));
            AssertBruteForce(index, data.AsSpan(0, (start + 5_000) * Dimension).ToArray(), allIds.AsSpan(0, start + 5_000).ToArray(), queries, k);
        }

        // Removals in place, then below half the build size (rebuilt), then below the threshold (the full scan).
        var kept = allIds.ToList();
        foreach (var share in new[] { 7, 2, 2, 2 })
        {
            var gone = kept.Where((_, i) => i % share == 0).ToArray();
            Assert.Equal(gone.Length, index.Remove(gone));
            kept = [.. kept.Except(gone)];
            AssertBruteForce(index, RowsOf(data, kept), [.. kept], queries, k);
        }

        Assert.True(kept.Count < 16_384);
    }

    [Fact]
    public void A_filtered_search_above_the_cell_threshold_returns_the_brute_force_top_k_of_the_allowed_ids()
    {
        const int k = 40;
        var data = RandomVectors.Clustered(seed: 121, AboveCells, Dimension);
        var ids = Enumerable.Range(0, AboveCells).Select(i => 5L + i).ToArray();
        var allowedIds = ids.Where(id => id % 11 == 0).ToArray();
        using var index = new VectorIndex(Dimension);
        index.Upsert(ids, data);
        using var filter = IdFilter.FromIds(allowedIds);
        var allowed = allowedIds.ToHashSet();
        var queries = RandomVectors.Rows(seed: 122, 15, Dimension);

        for (var q = 0; q < 15; q++)
        {
            var query = queries.AsSpan(q * Dimension, Dimension);
            var expected = ExactNeighbours.TopK(data, ids, query, k, allowed.Contains);
            var actual = index.Search(query, k, filter, new SearchOptions { FilterStrategy = FilterStrategy.SkipDisallowed });
            Assert.Equal(expected.Select(hit => hit.Id), actual.Select(hit => hit.Id));
        }
    }

    [Fact]
    public void A_reloaded_index_answers_from_cells_as_the_saved_one_did()
    {
        var data = RandomVectors.Clustered(seed: 131, AboveCells, Dimension);
        var ids = Enumerable.Range(0, AboveCells).Select(i => 100L + i).ToArray();
        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, "index.faiss");
        var queries = RandomVectors.Rows(seed: 132, 10, Dimension);
        List<IReadOnlyList<SearchHit>> before;
        using (var index = new VectorIndex(Dimension))
        {
            index.Upsert(ids, data);
            before = [.. Enumerable.Range(0, 10).Select(q => index.Search(queries.AsSpan(q * Dimension, Dimension), 30))];
            index.Save(path);
        }

        using var loaded = VectorIndex.Load(path);

        for (var q = 0; q < 10; q++)
        {
            Assert.Equal(before[q], loaded.Search(queries.AsSpan(q * Dimension, Dimension), 30));
        }

        AssertBruteForce(loaded, data, ids, queries, 30);
    }

    [Fact]
    public void Identical_vectors_tie_the_same_way_whichever_order_the_cells_meet_them_in()
    {
        // Eight copies of each vector, added in a shuffled order: equal scores go to the copies added last (the
        // larger positions, as FAISS's heap orders ties), so k = 4 on a copy returns its four latest copies.
        const int copies = 8;
        var distinct = RandomVectors.Clustered(seed: 141, AboveCells / copies + 1, Dimension);
        var order = Enumerable.Range(0, distinct.Length / Dimension * copies).ToArray();
        new Random(142).Shuffle(order);
        var ids = order.Select(i => 1L + i).ToArray();
        var data = order.SelectMany(i => distinct.AsSpan(i / copies * Dimension, Dimension).ToArray()).ToArray();
        using var index = new VectorIndex(Dimension);
        index.Upsert(ids, data);

        foreach (var original in new[] { 0, 17, 600, 2_000 })
        {
            var latest = ids.Select((id, position) => (id, position))
                .Where(entry => (entry.id - 1) / copies == original)
                .OrderByDescending(entry => entry.position)
                .Take(4)
                .Select(entry => entry.id)
                .ToArray();

            var hits = index.Search(distinct.AsSpan(original * Dimension, Dimension), 4);

            Assert.Equal(latest, hits.Select(hit => hit.Id));
        }
    }

    /// <summary>data holds the rows of ids, in the same order.</summary>
    private static void AssertBruteForce(VectorIndex index, float[] data, long[] ids, float[] queries, int k)
    {
        for (var q = 0; q < queries.Length / Dimension; q++)
        {
            var query = queries.AsSpan(q * Dimension, Dimension);
            var expected = ExactNeighbours.TopK(data, ids, query, k);

            var actual = index.Search(query, k);

            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                // The same ids, except where two scores are equal to float rounding (then either order is right).
                if (expected[i].Id != actual[i].Id)
                {
                    Assert.Equal(expected[i].Score, actual[i].Score, 1e-6f);
                }

                Assert.Equal(expected[i].Score, actual[i].Score, 1e-5f);
            }
        }
    }

    private static float[] RowsOf(float[] data, IEnumerable<long> ids) =>
        [.. ids.SelectMany(id => data.AsSpan((int)(id - 1) * Dimension, Dimension).ToArray())];
}
