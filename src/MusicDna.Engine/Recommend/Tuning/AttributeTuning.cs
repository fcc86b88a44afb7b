using MusicDna.Core.Errors;

namespace MusicDna.Engine.Recommend.Tuning;

/// <summary>
/// One tunable attribute of a request: inclusive hard limits and a soft target, each optional. <see cref="Validate"/>
/// names the contract's field (<c>attributes.min_energy</c>) on every error.
/// </summary>
public sealed record AttributeTuning(AttributeSpec Attribute, double? Min = null, double? Max = null, double? Target = null)
{
    public bool IsLimit => Min is not null || Max is not null;

    /// <summary>Whether a track's value lies within the limits.</summary>
    public bool Allows(double value) => !(value < Min) && !(value > Max);

    internal void Validate()
    {
        foreach (var (value, prefix) in new[] { (Min, "min"), (Max, "max"), (Target, "target") })
        {
            if (value is { } v && (!double.IsFinite(v) || v < Attribute.Lowest || v > Attribute.Highest))
            {
                throw new InvalidInputException(Field(prefix), $"must be a finite number between {Attribute.Lowest} and {Attribute.Highest}, got {v}");
            }
        }

        if (Min > Max)
        {
            throw new InvalidInputException(Field("max"), $"must be at least min_{Attribute.Name} ({Min}), got {Max}");
        }

        if (Target < Min || Target > Max)
        {
            throw new InvalidInputException(Field("target"), $"must lie within min_{Attribute.Name} and max_{Attribute.Name}, got {Target}");
        }

        // Duration targets compare on a log scale.
        if (Attribute.Name == AttributeSpec.DurationMs && Target < 1)
        {
            throw new InvalidInputException(Field("target"), $"must be at least 1 ms, got {Target}");
        }
    }

    private string Field(string prefix) => $"attributes.{prefix}_{Attribute.Name}";
}
