namespace MusicDna.Index.Tests;

[Collection(NativeTests.Collection)]
public sealed class VectorIndexFactoryTests
{
    private const int Dimension = 6;

    [Fact]
    public void A_catalogue_below_the_threshold_gets_an_exact_index_with_every_vector()
    {
        var data = RandomVectors.Clustered(seed: 51, 999, Dimension);

        using var index = VectorIndexFactory.Create(Dimension, RandomVectors.Ids(999), data, new VectorIndexOptions { ApproximateFrom = 1_000 });

        Assert.Equal(VectorIndexKind.Exact, index.Kind);
        Assert.Equal(999, index.Count);
    }

    [Fact]
    public void A_catalogue_at_the_threshold_gets_a_trained_inverted_file_sized_by_the_options()
    {
        var data = RandomVectors.Clustered(seed: 52, 3_000, Dimension);
        var options = new VectorIndexOptions { ApproximateFrom = 3_000, BuildBatch = 700 };

        using var index = VectorIndexFactory.Create(Dimension, RandomVectors.Ids(3_000), data, options);

        Assert.Equal(VectorIndexKind.InvertedFile, index.Kind);
        Assert.True(index.IsTrained);
        Assert.Equal(3_000, index.Count);
        Assert.Equal(options.ListsFor(3_000), index.Lists);
        Assert.Equal(options.ProbeFor(index.Lists), index.Probe);
        Assert.Same(options.FilterPolicy, index.FilterPolicy);
    }

    [Fact]
    public void Explicit_lists_and_probe_in_the_options_win()
    {
        var data = RandomVectors.Clustered(seed: 53, 2_000, Dimension);

        using var index = VectorIndexFactory.Create(
            Dimension, RandomVectors.Ids(2_000), data, new VectorIndexOptions { ApproximateFrom = 0, Lists = 20, Probe = 3 });

        Assert.Equal(20, index.Lists);
        Assert.Equal(3, index.Probe);
    }

    [Fact]
    public void The_same_catalogue_and_seed_build_indexes_that_answer_alike()
    {
        var data = RandomVectors.Clustered(seed: 54, 4_000, Dimension);
        var ids = RandomVectors.Ids(4_000);
        var options = new VectorIndexOptions { ApproximateFrom = 0, Lists = 64, Probe = 2, TrainingRowsPerList = 40 };
        var queries = RandomVectors.Rows(seed: 55, 40, Dimension);

        using var first = VectorIndexFactory.Create(Dimension, ids, data, options);
        using var second = VectorIndexFactory.Create(Dimension, ids, data, options);

        Assert.Equal(
            first.SearchMany(queries, 10).SelectMany(hits => hits.Select(hit => hit.Id)),
            second.SearchMany(queries, 10).SelectMany(hits => hits.Select(hit => hit.Id)));
    }

    [Theory]
    [InlineData(10_000, 128)]
    [InlineData(1_000_000, 1_024)]
    [InlineData(10_000_000, 4_096)]
    [InlineData(100, 16)]
    public void ListsFor_is_the_power_of_two_nearest_1_3_root_count_within_the_trainable_range(long count, int lists)
    {
        Assert.Equal(lists, VectorIndexOptions.Default.ListsFor(count));
    }

    [Theory]
    [InlineData(16, 8)]
    [InlineData(1_024, 8)]
    [InlineData(4_096, 8)]
    [InlineData(8_192, 12)]
    [InlineData(16_384, 16)]
    [InlineData(4, 4)]
    public void ProbeFor_is_8_up_to_4096_lists_then_grows_with_the_root_of_the_list_count(int lists, int probe)
    {
        Assert.Equal(probe, VectorIndexOptions.Default.ProbeFor(lists));
    }

    [Fact]
    public void TrainingSample_takes_distinct_rows_of_the_catalogue_and_is_seeded()
    {
        var data = Enumerable.Range(0, 1_000).Select(i => (float)i).ToArray();

        var sample = VectorIndexFactory.TrainingSample(data, 1, 1_000, 100, seed: 7);

        Assert.Equal(100, sample.Distinct().Count());
        Assert.All(sample, value => Assert.InRange(value, 0, 999));
        Assert.Equal(sample, VectorIndexFactory.TrainingSample(data, 1, 1_000, 100, seed: 7));
        Assert.NotEqual(sample, VectorIndexFactory.TrainingSample(data, 1, 1_000, 100, seed: 8));
    }

    [Fact]
    public void Bad_options_or_mismatched_rows_are_refused()
    {
        var data = RandomVectors.Rows(seed: 56, 10, Dimension);
        var ids = RandomVectors.Ids(10);

        Assert.Throws<ArgumentException>(() => VectorIndexFactory.Create(Dimension, ids, data.AsSpan(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorIndexFactory.Create(0, ids, data));
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorIndexFactory.Create(Dimension, ids, data, new VectorIndexOptions { Lists = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorIndexFactory.Create(Dimension, ids, data, new VectorIndexOptions { BuildBatch = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorIndexFactory.Create(Dimension, ids, data, new VectorIndexOptions { RebuildGrowth = 1 }));
    }
}
