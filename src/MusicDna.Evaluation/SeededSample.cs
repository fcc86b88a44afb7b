using MusicDna.Core.Numerics;

namespace MusicDna.Evaluation;

/// <summary>Seeded samples without replacement, the same on every runtime (SplitMix64, not System.Random).</summary>
public static class SeededSample
{
    /// <summary>
    /// <paramref name="size"/> distinct items of <paramref name="from"/> (all of them when it holds fewer), chosen
    /// by a partial Fisher–Yates shuffle and returned in ascending order.
    /// </summary>
    public static int[] Pick(IReadOnlyList<int> from, int size, int seed)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var pool = from.ToArray();
        var take = Math.Min(size, pool.Length);
        var random = new SplitMix64(unchecked((ulong)seed));
        for (var i = 0; i < take; i++)
        {
            var j = i + random.NextBelow(pool.Length - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }

        var picked = pool[..take];
        Array.Sort(picked);
        return picked;
    }

    /// <summary>A sample of the indexes 0..count-1.</summary>
    public static int[] Pick(int count, int size, int seed) => Pick(Enumerable.Range(0, count).ToArray(), size, seed);
}
