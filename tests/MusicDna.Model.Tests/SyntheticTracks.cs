namespace MusicDna.Model.Tests;

/// <summary>
/// Seeded fake "scaled features": 12 smooth functions of 3 hidden factors plus a little noise, all in [0, 1],
/// so a 6-d bottleneck can reconstruct them far better than predicting each column's mean.
/// </summary>
internal static class SyntheticTracks
{
    public const int Features = 12;
    private const int Factors = 3;

    public static float[] Rows(int rows, int seed)
    {
        var mixing = new Random(1234); // the same manifold for every call; only the sampled points vary
        var weights = new double[Features, Factors];
        var offsets = new double[Features];
        for (var j = 0; j < Features; j++)
        {
            offsets[j] = mixing.NextDouble() * Math.PI;
            for (var k = 0; k < Factors; k++)
            {
                weights[j, k] = (mixing.NextDouble() * 4) - 2;
            }
        }

        var random = new Random(seed);
        var values = new float[rows * Features];
        for (var r = 0; r < rows; r++)
        {
            var z = new double[Factors];
            for (var k = 0; k < Factors; k++)
            {
                z[k] = random.NextDouble();
            }

            for (var j = 0; j < Features; j++)
            {
                var signal = offsets[j];
                for (var k = 0; k < Factors; k++)
                {
                    signal += weights[j, k] * z[k];
                }

                var value = 0.5 + (0.4 * Math.Sin(signal)) + ((random.NextDouble() - 0.5) * 0.02);
                values[(r * Features) + j] = (float)Math.Clamp(value, 0, 1);
            }
        }

        return values;
    }

    public static TrainingData Split(int trainRows, int validationRows, int testRows, int seed = 7) =>
        new(Rows(trainRows, seed), Rows(validationRows, seed + 1), Rows(testRows, seed + 2), Features);

    /// <summary>The MSE per element of predicting every value of <paramref name="rows"/> by its column's mean.</summary>
    public static double ColumnMeanMse(float[] rows)
    {
        var count = rows.Length / Features;
        var total = 0.0;
        for (var j = 0; j < Features; j++)
        {
            var mean = 0.0;
            for (var r = 0; r < count; r++)
            {
                mean += rows[(r * Features) + j];
            }

            mean /= count;
            for (var r = 0; r < count; r++)
            {
                var d = rows[(r * Features) + j] - mean;
                total += d * d;
            }
        }

        return total / rows.Length;
    }
}
