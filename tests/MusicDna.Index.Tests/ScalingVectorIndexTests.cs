namespace MusicDna.Index.Tests;

[Collection(NativeTests.Collection)]
public sealed class ScalingVectorIndexTests
{
    private const int Dimension = 6;

    private static readonly VectorIndexOptions SmallThreshold = new() { ApproximateFrom = 2_000, TrainingRowsPerList = 40 };

    [Fact]
    public async Task Upserts_that_cross_the_threshold_swap_in_an_inverted_file_built_in_the_background_with_every_vector()
    {
        var data = RandomVectors.Clustered(seed: 61, 2_500, Dimension);
        var ids = RandomVectors.Ids(2_500);
        using var index = ScalingVectorIndex.Create(Dimension, ids.AsSpan(0, 1_500), data.AsSpan(0, 1_500 * Dimension), SmallThreshold);
        Assert.Equal(VectorIndexKind.Exact, index.Kind);

        index.Upsert(ids.AsSpan(1_500), data.AsSpan(1_500 * Dimension));
        await index.Rebuilding;

        Assert.Null(index.LastRebuildFailure);
        Assert.Equal(VectorIndexKind.InvertedFile, index.Kind);
        Assert.Equal(SmallThreshold.ListsFor(2_500), index.Lists);
        Assert.Equal(2_500, index.Count);
        Assert.Equal(2_499L, index.Search(data.AsSpan(2_499 * Dimension, Dimension), 1, SearchOptions.Default).Single().Id);
    }

    [Fact]
    public async Task Changes_made_while_a_rebuild_is_in_flight_are_served_at_once_and_kept_by_the_swapped_index()
    {
        var data = RandomVectors.Clustered(seed: 62, 2_100, Dimension);
        var ids = RandomVectors.Ids(2_100);
        var building = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var index = new ScalingVectorIndex(new VectorIndex(Dimension), SmallThreshold, async () =>
        {
            building.SetResult();
            await release.Task;
        });
        index.Upsert(ids, data);
        await building.Task;
        float[] fresh = [0, 0, 0, 0, 0, 1];

        index.Upsert([9_000], fresh);
        index.Remove([0, 1]);
        index.Upsert([2], fresh);

        Assert.Equal(VectorIndexKind.Exact, index.Kind);
        Assert.Equal([2L, 9_000L], index.Search(fresh, 2, SearchOptions.Default).Select(hit => hit.Id).Order());
        Assert.False(index.TryGetVector(0, new float[Dimension]));
        release.SetResult();
        await index.Rebuilding;

        Assert.Equal(VectorIndexKind.InvertedFile, index.Kind);
        Assert.Equal(2_099, index.Count);
        Assert.Equal([2L, 9_000L], index.Search(fresh, 2, new SearchOptions { Probe = index.Lists }).Select(hit => hit.Id).Order());
        Assert.False(index.TryGetVector(0, new float[Dimension]));
        Assert.False(index.TryGetVector(1, new float[Dimension]));
    }

    [Fact]
    public async Task Searches_never_fail_and_always_fill_k_while_a_rebuild_swaps_the_index_under_them()
    {
        var data = RandomVectors.Clustered(seed: 63, 3_000, Dimension);
        var ids = RandomVectors.Ids(3_000);
        using var index = ScalingVectorIndex.Create(Dimension, ids.AsSpan(0, 1_900), data.AsSpan(0, 1_900 * Dimension), SmallThreshold);
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            var searches = 0;
            while (!stop.IsCancellationRequested || searches < 50)
            {
                var hits = index.Search(data.AsSpan((searches % 1_900) * Dimension, Dimension), 10, SearchOptions.Default);
                Assert.Equal(10, hits.Count);
                searches++;
            }
        })).ToArray();

        index.Upsert(ids.AsSpan(1_900), data.AsSpan(1_900 * Dimension));
        await index.Rebuilding;
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.Equal(VectorIndexKind.InvertedFile, index.Kind);
    }

    [Fact]
    public async Task Removals_far_below_the_threshold_swap_back_to_an_exact_index()
    {
        var data = RandomVectors.Clustered(seed: 64, 2_400, Dimension);
        var ids = RandomVectors.Ids(2_400);
        using var index = ScalingVectorIndex.Create(Dimension, ids, data, SmallThreshold);
        Assert.Equal(VectorIndexKind.InvertedFile, index.Kind);

        index.Remove(ids.AsSpan(0, 1_500));
        await index.Rebuilding;

        Assert.Equal(VectorIndexKind.Exact, index.Kind);
        Assert.Equal(900, index.Count);
    }

    [Fact]
    public async Task An_inverted_file_that_grows_past_the_rebuild_factor_is_rebuilt_with_more_lists()
    {
        var data = RandomVectors.Clustered(seed: 65, 9_000, Dimension);
        var ids = RandomVectors.Ids(9_000);
        var options = SmallThreshold with { RebuildGrowth = 3 };
        using var index = ScalingVectorIndex.Create(Dimension, ids.AsSpan(0, 2_500), data.AsSpan(0, 2_500 * Dimension), options);
        var before = index.Lists;

        index.Upsert(ids.AsSpan(2_500), data.AsSpan(2_500 * Dimension));
        await index.Rebuilding;

        Assert.True(index.Lists > before, $"lists {before} -> {index.Lists}");
        Assert.Equal(options.ListsFor(9_000), index.Lists);
        Assert.Equal(9_000, index.Count);
    }

    [Fact]
    public void Save_and_Load_keep_the_serving_index()
    {
        using var directory = new TemporaryDirectory();
        var data = RandomVectors.Clustered(seed: 66, 2_200, Dimension);
        using var original = ScalingVectorIndex.Create(Dimension, RandomVectors.Ids(2_200), data, SmallThreshold);

        original.Save(directory.File("index"));
        using var loaded = ScalingVectorIndex.Load(directory.File("index"), SmallThreshold);

        Assert.Equal(VectorIndexKind.InvertedFile, loaded.Kind);
        Assert.Equal(2_200, loaded.Count);
        var query = data.AsSpan(0, Dimension);
        Assert.Equal(original.Search(query, 10, SearchOptions.Default), loaded.Search(query, 10, SearchOptions.Default));
    }

    [Fact]
    public async Task Dispose_during_a_rebuild_frees_the_index_and_the_rebuild_ends_quietly()
    {
        var data = RandomVectors.Clustered(seed: 67, 2_100, Dimension);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var index = new ScalingVectorIndex(new VectorIndex(Dimension), SmallThreshold, () => release.Task);
        index.Upsert(RandomVectors.Ids(2_100), data);

        index.Dispose();
        release.SetResult();
        await index.Rebuilding;

        Assert.Null(index.LastRebuildFailure);
        Assert.Throws<ObjectDisposedException>(() => index.Count);
        Assert.Throws<ObjectDisposedException>(() => index.Upsert([1], data.AsSpan(0, Dimension)));
    }
}
