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

    public static float[] Normalised(ReadOnlySpan<float> vector)
    {
        var copy = vector.ToArray();
        VectorMath.Normalize(copy);
        return copy;
    }
}
