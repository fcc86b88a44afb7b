namespace MusicDna.Index.Tests;

/// <summary>Seeded row-major test data, so every run sees the same vectors.</summary>
internal static class RandomVectors
{
    public static float[] Rows(int seed, int count, int dimension)
    {
        var random = new Random(seed);
        var values = new float[count * dimension];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }

    /// <summary>Gaussian blobs around random centres biased to the positive orthant, the rough shape of the model's
    /// latents, so an inverted-file index meets real cluster structure.</summary>
    public static float[] Clustered(int seed, int count, int dimension, int clusters = 40)
    {
        var random = new Random(seed);
        var centres = new float[clusters * dimension];
        var spreads = new float[clusters];
        for (var c = 0; c < clusters; c++)
        {
            for (var j = 0; j < dimension; j++)
            {
                centres[(c * dimension) + j] = (float)(Math.Abs(Gaussian(random)) * 0.8 + (0.2 * Gaussian(random)));
            }

            spreads[c] = (float)(0.05 + (0.25 * random.NextDouble()));
        }

        var values = new float[count * dimension];
        for (var i = 0; i < count; i++)
        {
            var c = random.Next(clusters);
            for (var j = 0; j < dimension; j++)
            {
                values[(i * dimension) + j] = centres[(c * dimension) + j] + (spreads[c] * (float)Gaussian(random));
            }
        }

        return values;
    }

    public static float[] Normalised(ReadOnlySpan<float> vector)
    {
        var copy = vector.ToArray();
        VectorMath.Normalize(copy);
        return copy;
    }

    public static long[] Ids(int count, long first = 0, long step = 1) =>
        [.. Enumerable.Range(0, count).Select(i => first + (i * step))];

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
