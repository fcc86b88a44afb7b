namespace MusicDna.Index.Tests;

[Collection(NativeTests.Collection)]
public sealed class InvertedFileValidationTests
{
    private const int Dimension = 6;

    [Theory]
    [InlineData(0, 16, 1)]
    [InlineData(6, 0, 1)]
    [InlineData(6, 16, 0)]
    [InlineData(6, 16, 17)]
    [InlineData(6, VectorIndexOptions.MaxLists + 1, 1)]
    public void CreateInvertedFile_rejects_a_bad_dimension_list_count_or_probe(int dimension, int lists, int probe)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorIndex.CreateInvertedFile(dimension, lists, probe));
    }

    [Fact]
    public void Upsert_before_Train_is_refused_with_InvalidOperationException()
    {
        using var index = VectorIndex.CreateInvertedFile(Dimension, 16, 2);

        var error = Assert.Throws<InvalidOperationException>(() => index.Upsert([1], RandomVectors.Rows(seed: 1, 1, Dimension)));

        Assert.Contains("Train", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Search_of_an_untrained_empty_index_returns_no_hits()
    {
        using var index = VectorIndex.CreateInvertedFile(Dimension, 16, 2);

        Assert.Empty(index.Search(RandomVectors.Rows(seed: 1, 1, Dimension), 5));
    }

    [Fact]
    public void Train_with_fewer_rows_than_lists_is_refused()
    {
        using var index = VectorIndex.CreateInvertedFile(Dimension, 16, 2);

        Assert.Throws<ArgumentException>(() => index.Train(RandomVectors.Rows(seed: 1, 15, Dimension)));
        Assert.False(index.IsTrained);
    }

    [Fact]
    public void Train_with_values_that_are_not_whole_rows_or_not_finite_is_refused()
    {
        using var index = VectorIndex.CreateInvertedFile(Dimension, 4, 2);
        var sample = RandomVectors.Rows(seed: 1, 40, Dimension);

        Assert.Throws<ArgumentException>(() => index.Train(sample.AsSpan(1)));
        sample[7] = float.NaN;
        Assert.Throws<ArgumentException>(() => index.Train(sample));
        Assert.False(index.IsTrained);
    }

    [Fact]
    public void A_second_Train_is_refused_and_keeps_the_vectors()
    {
        var data = RandomVectors.Clustered(seed: 2, 500, Dimension);
        using var index = InvertedFileIndexes.Build(data, RandomVectors.Ids(500), lists: 8, probe: 2);

        Assert.Throws<InvalidOperationException>(() => index.Train(data));
        Assert.Equal(500, index.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(17)]
    public void Setting_a_probe_outside_1_to_lists_is_refused(int probe)
    {
        using var index = VectorIndex.CreateInvertedFile(Dimension, 16, 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => index.Probe = probe);
        Assert.Equal(2, index.Probe);
    }

    [Fact]
    public void An_exact_index_has_no_probe_to_set()
    {
        using var index = new VectorIndex(Dimension);

        Assert.Equal(0, index.Probe);
        Assert.Throws<InvalidOperationException>(() => index.Probe = 4);
    }

    [Fact]
    public void A_negative_probe_or_unknown_strategy_in_SearchOptions_is_refused()
    {
        using var index = new VectorIndex(2);
        index.Upsert([1], [1, 0]);
        using var filter = IdFilter.FromIds([1]);

        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search([1, 0], 1, new SearchOptions { Probe = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => index.Search([1, 0], 1, filter, new SearchOptions { FilterStrategy = (FilterStrategy)9 }));
    }

    [Fact]
    public void Filtered_searches_reject_a_null_filter()
    {
        using var index = new VectorIndex(2);

        Assert.Throws<ArgumentNullException>(() => index.Search([1, 0], 1, (IdFilter)null!));
        Assert.Throws<ArgumentNullException>(() => index.SearchMany([1, 0], 1, (IdFilter)null!));
    }

    [Fact]
    public void A_filter_policy_outside_its_ranges_is_refused()
    {
        using var index = new VectorIndex(2);

        Assert.Throws<ArgumentOutOfRangeException>(() => index.FilterPolicy = new FilterPolicy { ExactScoreAllowedBelow = 1.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => index.FilterPolicy = new FilterPolicy { ProbeGrowthExponent = double.NaN });
        Assert.Same(FilterPolicy.Default, index.FilterPolicy);
    }

    [Fact]
    public void Every_new_member_throws_ObjectDisposedException_after_Dispose()
    {
        var data = RandomVectors.Clustered(seed: 3, 200, Dimension);
        var index = InvertedFileIndexes.Build(data, RandomVectors.Ids(200), lists: 4, probe: 1);
        using var filter = IdFilter.FromIds([1]);
        index.Dispose();

        Assert.Throws<ObjectDisposedException>(() => index.Probe);
        Assert.Throws<ObjectDisposedException>(() => index.IsTrained);
        Assert.Throws<ObjectDisposedException>(() => index.Export());
        Assert.Throws<ObjectDisposedException>(() => index.Save(Path.Combine(Path.GetTempPath(), "never-written")));
        Assert.Throws<ObjectDisposedException>(() => index.Search(data.AsSpan(0, Dimension), 1, filter));
        Assert.Throws<ObjectDisposedException>(() => index.SearchMany(data.AsSpan(0, Dimension), 1, new SearchOptions { Probe = 2 }));
    }
}
