using MusicDna.Core.Numerics;

namespace MusicDna.Core.Tests.Numerics;

public sealed class PairwiseSumTests
{
    // Expected values are numpy 1.24's own results (np.full(n, 0.1).sum()), which differ from a left-to-right sum.
    [Theory]
    [InlineData(13, 1.3000000000000003)]
    [InlineData(1000, 100.00000000000001)]
    public void Sum_adds_in_numpy_order_to_the_last_bit(int count, double numpySum)
    {
        var values = Enumerable.Repeat(0.1, count).ToArray();

        Assert.Equal(numpySum, PairwiseSum.Sum(values));
    }

    [Fact]
    public void Sum_of_fewer_than_eight_values_is_the_plain_sum()
    {
        Assert.Equal(0.1 + 0.2 + 0.3, PairwiseSum.Sum([0.1, 0.2, 0.3]));
    }

    [Fact]
    public void Variance_is_the_population_variance_numpy_gives()
    {
        var values = Enumerable.Range(1, 300).Select(i => i / 7.0).ToArray();

        Assert.Equal(153.05952380952382, PairwiseSum.Variance(values, new double[values.Length]), 12);
    }
}
