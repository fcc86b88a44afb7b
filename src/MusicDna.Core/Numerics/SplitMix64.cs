namespace MusicDna.Core.Numerics;

/// <summary>
/// Steele, Lea and Flood's SplitMix64 (the reference constants from Vigna's splitmix64.c). Ours rather than
/// System.Random so that a seed names the same sequence on every runtime version, forever.
/// </summary>
public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), rejecting the biased tail rather than using a plain modulo.</summary>
    public int NextBelow(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var range = (ulong)bound;
        var threshold = (0UL - range) % range;
        ulong r;
        do
        {
            r = Next();
        }
        while (r < threshold);

        return (int)(r % range);
    }

    /// <summary>A uniform double in [0, 1): the top 53 bits of the next value.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
