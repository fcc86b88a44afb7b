using MusicDna.Core.Features;

namespace MusicDna.Engine.Recommend;

/// <summary>The features where a track is closest to and furthest from the seed point (scaled space).</summary>
public sealed record Explanation(IReadOnlyList<FeatureComparison> Closest, IReadOnlyList<FeatureComparison> Furthest)
{
    public const int FeaturesEach = 3;

    /// <summary>Compares scaled track features with the scaled seed point, feature by feature.</summary>
    public static Explanation Of(ReadOnlySpan<float> seedPoint, ReadOnlySpan<float> trackScaled)
    {
        var comparisons = new FeatureComparison[FeatureSchema.Count];
        for (var i = 0; i < comparisons.Length; i++)
        {
            comparisons[i] = new FeatureComparison(FeatureSchema.Names[i], seedPoint[i], trackScaled[i]);
        }

        // Stable ordering (by schema position on ties), so the same pair always explains the same way.
        var byGap = comparisons.OrderBy(c => Math.Abs(c.Difference)).ToArray();
        return new Explanation(
            [.. byGap.Take(FeaturesEach)],
            [.. comparisons.OrderByDescending(c => Math.Abs(c.Difference)).Take(FeaturesEach)]);
    }
}
