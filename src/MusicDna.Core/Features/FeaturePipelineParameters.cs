namespace MusicDna.Core.Features;

/// <summary>
/// Everything a fitted feature pipeline needs to transform raw features again: saved with each model.
/// Stage 1 is scikit-learn's PowerTransformer (Yeo-Johnson with per-feature <see cref="Lambdas"/>, then
/// standardisation with <see cref="Means"/> and <see cref="Scales"/>); stage 2 is MinMaxScaler over the
/// standardised values (<see cref="Mins"/>, <see cref="Maxs"/>). All arrays follow <see cref="FeatureNames"/>.
/// </summary>
public sealed record FeaturePipelineParameters(
    IReadOnlyList<string> FeatureNames,
    double[] Lambdas,
    double[] Means,
    double[] Scales,
    double[] Mins,
    double[] Maxs);
