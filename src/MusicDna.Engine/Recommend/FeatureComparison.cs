namespace MusicDna.Engine.Recommend;

/// <summary>One audio feature of a track against the seed point, both in the pipeline's scaled space.</summary>
public sealed record FeatureComparison(string Feature, double SeedValue, double TrackValue)
{
    public double Difference => TrackValue - SeedValue;
}
