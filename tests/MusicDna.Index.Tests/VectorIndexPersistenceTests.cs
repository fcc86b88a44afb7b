namespace MusicDna.Index.Tests;

[Collection(NativeTests.Collection)]
public sealed class VectorIndexPersistenceTests
{
    private const int Dimension = 6;

    [Fact]
    public void An_inverted_file_index_saved_and_loaded_gives_the_same_results_kind_lists_probe_and_vectors()
    {
        using var directory = new TemporaryDirectory();
        var data = RandomVectors.Clustered(seed: 31, 3_000, Dimension);
        var ids = RandomVectors.Ids(3_000, first: 7, step: 2);
        using var original = InvertedFileIndexes.Build(data, ids, lists: 32, probe: 3);
        original.Remove([7, 9]);
        var queries = RandomVectors.Rows(seed: 32, 50, Dimension);
        var path = directory.File("catalogue.ivf");

        original.Save(path);
        using var loaded = VectorIndex.Load(path);

        Assert.Equal(VectorIndexKind.InvertedFile, loaded.Kind);
        Assert.Equal(Dimension, loaded.Dimension);
        Assert.Equal(32, loaded.Lists);
        Assert.Equal(3, loaded.Probe);
        Assert.True(loaded.IsTrained);
        Assert.Equal(original.Count, loaded.Count);
        AssertSameResults(original.SearchMany(queries, 10), loaded.SearchMany(queries, 10));
        var stored = new float[Dimension];
        Assert.True(loaded.TryGetVector(11, stored));
        Assert.Equal(RandomVectors.Normalised(data.AsSpan(2 * Dimension, Dimension)), stored);
        Assert.False(loaded.TryGetVector(7, stored));
    }

    [Fact]
    public void An_inverted_file_saved_with_FAISS_hashtable_direct_map_loads_finds_removes_and_saves_without_it()
    {
        // Written by the shim before it kept its own id locations (Fixtures/make_hashtable_direct_map_index.py).
        var fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "hashtable-direct-map.faiss");
        using var directory = new TemporaryDirectory();
        using var loaded = VectorIndex.Load(fixture);
        var exported = loaded.Export();
        long[] expectedIds = [.. Enumerable.Range(1, 298).Select(i => (long)i), 1L << 40, -7];

        Assert.Equal(300, loaded.Count);
        Assert.Equal(expectedIds.Order(), exported.Ids.Order());
        var stored = new float[Dimension];
        var everyList = new SearchOptions { Probe = loaded.Lists };
        for (var i = 0; i < exported.Count; i++)
        {
            var vector = exported.Vectors.AsSpan(i * Dimension, Dimension);
            Assert.True(loaded.TryGetVector(exported.Ids[i], stored));
            Assert.Equal(vector.ToArray(), stored);
            Assert.Equal(exported.Ids[i], loaded.Search(vector, 1, everyList).Single().Id);
        }

        // The old file holds an (id, location) pair of 16 bytes per vector in its direct map; the new one none.
        var whole = directory.File("whole.ivf");
        loaded.Save(whole);
        Assert.True(new FileInfo(whole).Length <= new FileInfo(fixture).Length - (300 * 2 * sizeof(long)));

        long[] removed = [.. Enumerable.Range(1, 150).Select(i => (long)i), 1L << 40];
        Assert.Equal(151, loaded.Remove(removed));
        var resaved = directory.File("resaved.ivf");
        loaded.Save(resaved);
        using var reloaded = VectorIndex.Load(resaved);

        Assert.Equal(149, reloaded.Count);
        for (var i = 0; i < exported.Count; i++)
        {
            var kept = !removed.Contains(exported.Ids[i]);
            Assert.Equal(kept, reloaded.TryGetVector(exported.Ids[i], stored));
            if (kept)
            {
                Assert.Equal(exported.Vectors.AsSpan(i * Dimension, Dimension).ToArray(), stored);
            }
        }
    }

    [Fact]
    public void An_exact_index_saved_and_loaded_gives_the_same_results_and_vectors()
    {
        using var directory = new TemporaryDirectory();
        var data = RandomVectors.Rows(seed: 33, 2_500, Dimension);
        var ids = RandomVectors.Ids(2_500, first: 1_000);
        using var original = new VectorIndex(Dimension);
        original.Upsert(ids, data);
        var queries = RandomVectors.Rows(seed: 34, 25, Dimension);
        var path = directory.File("catalogue.flat");

        original.Save(path);
        using var loaded = VectorIndex.Load(path);

        Assert.Equal(VectorIndexKind.Exact, loaded.Kind);
        Assert.Equal(0, loaded.Lists);
        Assert.Equal(2_500, loaded.Count);
        AssertSameResults(original.SearchMany(queries, 10), loaded.SearchMany(queries, 10));
        AssertSameResults([original.Search(queries.AsSpan(0, Dimension), 10)], [loaded.Search(queries.AsSpan(0, Dimension), 10)]);
    }

    [Fact]
    public void A_loaded_inverted_file_index_takes_upserts_and_removals_like_the_original()
    {
        using var directory = new TemporaryDirectory();
        var data = RandomVectors.Clustered(seed: 35, 2_000, Dimension);
        using (var original = InvertedFileIndexes.Build(data, RandomVectors.Ids(2_000)))
        {
            original.Save(directory.File("index"));
        }

        using var loaded = VectorIndex.Load(directory.File("index"));
        float[] fresh = [0, 0, 0, 0, 0, 1];

        loaded.Upsert([5, 9_999], [.. fresh, .. fresh]);
        var removed = loaded.Remove([6, 7]);

        Assert.Equal(2, removed);
        Assert.Equal(1_999, loaded.Count);
        Assert.Equal([5L, 9_999L], loaded.Search(fresh, 2).Select(hit => hit.Id).Order());
        Assert.DoesNotContain(loaded.Search(data.AsSpan(6 * Dimension, Dimension), 50), hit => hit.Id is 6 or 7);
    }

    [Fact]
    public void Save_replaces_an_existing_file_and_leaves_no_temporary_file()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("index");
        using var index = new VectorIndex(Dimension);
        index.Upsert([1], RandomVectors.Rows(seed: 36, 1, Dimension));
        index.Save(path);
        index.Upsert([2], RandomVectors.Rows(seed: 37, 1, Dimension));

        index.Save(path);

        using var loaded = VectorIndex.Load(path);
        Assert.Equal(2, loaded.Count);
        Assert.Equal(["index"], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Load_of_a_missing_file_throws_FileNotFoundException()
    {
        using var directory = new TemporaryDirectory();

        Assert.Throws<FileNotFoundException>(() => VectorIndex.Load(directory.File("absent")));
    }

    [Fact]
    public void Load_of_a_file_that_is_not_an_index_throws_FaissException_with_the_shims_message()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("garbage");
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 64).Select(i => (byte)i)]);

        var error = Assert.Throws<FaissException>(() => VectorIndex.Load(path));

        Assert.Equal(NativeStatus.FaissError, error.Status);
        Assert.NotEmpty(error.NativeMessage);
    }

    [Fact]
    public void Load_of_a_truncated_index_file_throws_FaissException()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("index");
        var data = RandomVectors.Clustered(seed: 38, 1_000, Dimension);
        using (var index = InvertedFileIndexes.Build(data, RandomVectors.Ids(1_000)))
        {
            index.Save(path);
        }

        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        Assert.Throws<FaissException>(() => VectorIndex.Load(path));
    }

    [Fact]
    public void Save_into_a_missing_directory_throws_DirectoryNotFoundException()
    {
        using var directory = new TemporaryDirectory();
        using var index = new VectorIndex(Dimension);

        Assert.Throws<DirectoryNotFoundException>(() => index.Save(Path.Combine(directory.Path, "no-such-dir", "index")));
    }

    private static void AssertSameResults(IReadOnlyList<IReadOnlyList<SearchHit>> expected, IReadOnlyList<IReadOnlyList<SearchHit>> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var q = 0; q < expected.Count; q++)
        {
            Assert.Equal(expected[q].Select(hit => hit.Id), actual[q].Select(hit => hit.Id));
            Assert.All(expected[q].Zip(actual[q]), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 1e-6f));
        }
    }
}
