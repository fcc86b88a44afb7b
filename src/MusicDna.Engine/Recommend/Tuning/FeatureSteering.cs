using MusicDna.Core.Errors;
using MusicDna.Core.Features;

namespace MusicDna.Engine.Recommend.Tuning;

/// <summary>
/// Relative steering: offsets added to a positive seed's raw features before it is embedded, clamped to each
/// feature's range, so a search can start from "this track, but more energetic". Only continuous features steer.
/// </summary>
public sealed record FeatureSteering
{
    public static FeatureSteering None { get; } = new();

    /// <summary>The features that may be steered, in the contract's order.</summary>
    public static IReadOnlyList<string> Steerable { get; } =
        ["danceability", "energy", "loudness", "speechiness", "acousticness", "instrumentalness", "liveness", "valence", "tempo"];

    /// <summary>Feature name → offset; features left out are not moved.</summary>
    public IReadOnlyDictionary<string, double> Offsets { get; init; } = new Dictionary<string, double>();

    public bool IsEmpty => Offsets.Count == 0;

    public double[] Apply(double[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var steered = (double[])raw.Clone();
        foreach (var (name, offset) in Offsets)
        {
            var i = FeatureSchema.IndexOf(name);
            var spec = FeatureSchema.Features[i];
            steered[i] = Math.Clamp(steered[i] + offset, spec.Min, spec.Max);
        }

        return steered;
    }

    internal void Validate()
    {
        foreach (var (name, offset) in Offsets)
        {
            if (!Steerable.Contains(name))
            {
                throw new InvalidInputException($"steer.{name}", "cannot be steered");
            }

            var spec = FeatureSchema.Features[FeatureSchema.IndexOf(name)];
            var span = spec.Max - spec.Min;
            if (!double.IsFinite(offset) || Math.Abs(offset) > span)
            {
                throw new InvalidInputException($"steer.{name}", $"must be a finite number between -{span} and {span}, got {offset}");
            }
        }
    }
}
