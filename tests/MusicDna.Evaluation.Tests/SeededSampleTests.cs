using MusicDna.Evaluation;

namespace MusicDna.Evaluation.Tests;

public sealed class SeededSampleTests
{
    [Fact]
    public void A_sample_is_distinct_sorted_drawn_from_the_pool_and_the_same_for_the_same_seed()
    {
        int[] pool = [.. Enumerable.Range(100, 50)];

        var first = SeededSample.Pick(pool, 20, seed: 5);

        Assert.Equal(20, first.Distinct().Count());
        Assert.Equal(first.Order(), first);
        Assert.All(first, i => Assert.Contains(i, pool));
        Assert.Equal(first, SeededSample.Pick(pool, 20, seed: 5));
        Assert.NotEqual(first, SeededSample.Pick(pool, 20, seed: 6));
    }

    [Fact]
    public void Asking_for_more_than_the_pool_holds_gives_the_whole_pool()
    {
        Assert.Equal([0, 1, 2], SeededSample.Pick(3, 10, seed: 1));
    }
}
