namespace MusicDna.Core.Features;

/// <summary>
/// Everything a fitted feature pipeline needs to transform raw features again: saved with each model.
/// Stage 1 is scikit-learn's PowerTransformer (Yeo-Johnson with per-feature <see cref="Lambdas"/>, then
/// standardisation with <see cref="Means"/> and <see cref="Scales"/>); stage 2 is MinMaxScaler over the
/// standardised values (<see cref="Mins"/>, <see cref="Maxs"/>). All arrays follow <see cref="FeatureNames"/>.
/// </summary>
/// <remarks>
/// Equality compares the contents of the lists, not their references, so parameters read back from JSON or a
/// model store equal the ones that were saved.
/// </remarks>
public sealed record FeaturePipelineParameters(
    IReadOnlyList<string> FeatureNames,
    double[] Lambdas,
    double[] Means,
    double[] Scales,
    double[] Mins,
    double[] Maxs)
{
    public bool Equals(FeaturePipelineParameters? other) =>
        other is not null
        && SameItems(FeatureNames, other.FeatureNames)
        && SameItems(Lambdas, other.Lambdas)
        && SameItems(Means, other.Means)
        && SameItems(Scales, other.Scales)
        && SameItems(Mins, other.Mins)
        && SameItems(Maxs, other.Maxs);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        AddItems(ref hash, FeatureNames);
        AddItems(ref hash, Lambdas);
        AddItems(ref hash, Means);
        AddItems(ref hash, Scales);
        AddItems(ref hash, Mins);
        AddItems(ref hash, Maxs);
        return hash.ToHashCode();
    }

    private static bool SameItems<T>(IReadOnlyList<T>? left, IReadOnlyList<T>? right) =>
        ReferenceEquals(left, right) || (left is not null && right is not null && left.SequenceEqual(right));

    private static void AddItems<T>(ref HashCode hash, IReadOnlyList<T>? items)
    {
        hash.Add(items?.Count ?? -1);
        if (items is not null)
        {
            foreach (var item in items)
            {
                hash.Add(item);
            }
        }
    }
}
