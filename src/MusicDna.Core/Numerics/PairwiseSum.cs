namespace MusicDna.Core.Numerics;

/// <summary>
/// numpy's pairwise summation (<c>pairwise_sum_DOUBLE</c>, used by <c>np.sum</c> and <c>np.var</c> over a 1-d array).
/// Summing in the same order keeps the Yeo-Johnson likelihood bit-for-bit close to scikit-learn's, so Brent walks
/// the same path and lands on the same lambda.
/// </summary>
internal static class PairwiseSum
{
    private const int BlockSize = 128;

    public static double Sum(ReadOnlySpan<double> values)
    {
        var n = values.Length;
        if (n < 8)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += values[i];
            }

            return sum;
        }

        if (n <= BlockSize)
        {
            // Eight running sums, combined as a tree, exactly as numpy unrolls it.
            double r0 = values[0], r1 = values[1], r2 = values[2], r3 = values[3];
            double r4 = values[4], r5 = values[5], r6 = values[6], r7 = values[7];
            var i = 8;
            for (; i < n - (n % 8); i += 8)
            {
                r0 += values[i];
                r1 += values[i + 1];
                r2 += values[i + 2];
                r3 += values[i + 3];
                r4 += values[i + 4];
                r5 += values[i + 5];
                r6 += values[i + 6];
                r7 += values[i + 7];
            }

            var result = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++)
            {
                result += values[i];
            }

            return result;
        }

        var half = n / 2;
        half -= half % 8;
        return Sum(values[..half]) + Sum(values[half..]);
    }

    /// <summary>Population variance as <c>np.var</c> computes it: pairwise mean, then pairwise sum of squares.</summary>
    public static double Variance(ReadOnlySpan<double> values, Span<double> scratch)
    {
        var n = values.Length;
        var mean = Sum(values) / n;
        for (var i = 0; i < n; i++)
        {
            var d = values[i] - mean;
            scratch[i] = d * d;
        }

        return Sum(scratch[..n]) / n;
    }
}
