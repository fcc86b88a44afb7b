namespace MusicDna.Engine.Recommend;

/// <summary>
/// One audio feature of a track against the seeds, in the feature's own unit (<see cref="Unit"/>: "%" for the 0–1
/// features, shown 0–100; "dB"; "BPM"; "" for key, mode and time signature), with the gap in the pipeline's scaled
/// space that ranked it among the features, and a short sentence a listener can read.
/// </summary>
public sealed record FeatureComparison(string Feature, double SeedValue, double TrackValue, string Unit, double ScaledDifference, string Text)
{
    /// <summary>Track minus seed, in <see cref="Unit"/>: negative is less of it (a slower tempo, a quieter mix).</summary>
    public double Difference => TrackValue - SeedValue;
}
