namespace MusicDna.Engine.Snapshots;

/// <summary>Arithmetic on the unit latent vectors a snapshot holds: their dot product is their cosine.</summary>
internal static class UnitVector
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
