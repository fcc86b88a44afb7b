using MusicDna.Core.Errors;
using MusicDna.Core.Tracks;

namespace MusicDna.Core.Tests.Tracks;

public sealed class DataSplitTests
{
    [Fact]
    public void Sets_are_disjoint_and_together_cover_every_index()
    {
        var split = DataSplit.Create(1_000, 0.1, 0.2, seed: 42);

        var all = split.Train.Concat(split.Validation).Concat(split.Test).ToList();

        Assert.Equal(1_000, all.Count);
        Assert.Equal(Enumerable.Range(0, 1_000), all.Order());
    }

    [Theory]
    [InlineData(1_000, 0.1, 0.2, 700, 100, 200)]
    [InlineData(89_741, 0.1, 0.1, 71_793, 8_974, 8_974)]
    [InlineData(7, 0.5, 0.3, 2, 3, 2)]
    [InlineData(1, 0.5, 0.49, 1, 0, 0)]
    [InlineData(10, 0, 0, 10, 0, 0)]
    [InlineData(0, 0.1, 0.1, 0, 0, 0)]
    public void Sizes_round_validation_and_test_down_and_give_training_the_rest(
        int count, double validationFraction, double testFraction, int train, int validation, int test)
    {
        var split = DataSplit.Create(count, validationFraction, testFraction, seed: 1);

        Assert.Equal((train, validation, test), (split.Train.Length, split.Validation.Length, split.Test.Length));
    }

    [Fact]
    public void The_same_seed_gives_the_same_split()
    {
        var first = DataSplit.Create(500, 0.15, 0.15, seed: 2024);
        var second = DataSplit.Create(500, 0.15, 0.15, seed: 2024);

        // Equal<int> compares contents; ImmutableArray's own Equals compares the arrays behind it.
        Assert.Equal<int>(first.Train, second.Train);
        Assert.Equal<int>(first.Validation, second.Validation);
        Assert.Equal<int>(first.Test, second.Test);
    }

    [Fact]
    public void A_different_seed_gives_a_different_split()
    {
        var first = DataSplit.Create(500, 0.15, 0.15, seed: 2024);
        var second = DataSplit.Create(500, 0.15, 0.15, seed: 2025);

        Assert.NotEqual<int>(first.Test, second.Test);
    }

    [Fact]
    public void A_seed_names_the_same_split_on_every_runtime()
    {
        // Pinned output, computed independently in Python from the published algorithm: if this changes, every
        // stored model's evaluation set has silently changed.
        var split = DataSplit.Create(10, 0.2, 0.2, seed: 42);

        Assert.Equal<int>([1, 2, 3, 4, 6, 7], split.Train);
        Assert.Equal<int>([0, 9], split.Validation);
        Assert.Equal<int>([5, 8], split.Test);
    }

    [Fact]
    public void The_shuffle_spreads_test_rows_over_the_whole_range()
    {
        var split = DataSplit.Create(10_000, 0.1, 0.1, seed: 3);

        // An unshuffled cut would put every test index in one block; a fair shuffle puts about half below 5,000.
        Assert.InRange(split.Test.Count(i => i < 5_000), 430, 570);
        Assert.True(split.Test.SequenceEqual(split.Test.Order()), "each set is sorted");
    }

    [Theory]
    [InlineData(-1, 0.1, 0.1, "count")]
    [InlineData(10, -0.1, 0.1, "validation_fraction")]
    [InlineData(10, 0.6, 0.1, "validation_fraction")]
    [InlineData(10, double.NaN, 0.1, "validation_fraction")]
    [InlineData(10, 0.1, 0.51, "test_fraction")]
    [InlineData(10, 0.5, 0.5, "test_fraction")]
    public void Bad_counts_and_fractions_are_refused(int count, double validationFraction, double testFraction, string field)
    {
        var error = Assert.Throws<InvalidInputException>(() => DataSplit.Create(count, validationFraction, testFraction, seed: 0));

        Assert.Equal(field, error.Field);
    }
}
