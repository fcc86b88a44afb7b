using System.Collections.Immutable;

namespace MusicDna.Core.Features;

/// <summary>
/// The 12 audio features MusicDna learns from, in the fixed order used by every vector, file and model.
/// The ranges are Spotify's documented ones, widened where real data strays (loudness above 0 dB).
/// </summary>
public static class FeatureSchema
{
    public const int Count = 12;

    public static ImmutableArray<FeatureSpec> Features { get; } =
    [
        new("danceability", 0, 1, Integral: false),
        new("energy", 0, 1, Integral: false),
        new("key", -1, 11, Integral: true),          // -1 = no key detected
        new("loudness", -100, 20, Integral: false),  // dB; the dataset spans -49.5 to +4.5
        new("mode", 0, 1, Integral: true),
        new("speechiness", 0, 1, Integral: false),
        new("acousticness", 0, 1, Integral: false),
        new("instrumentalness", 0, 1, Integral: false),
        new("liveness", 0, 1, Integral: false),
        new("valence", 0, 1, Integral: false),
        new("tempo", 0, 400, Integral: false),       // BPM; the dataset tops out at 243
        new("time_signature", 0, 7, Integral: true), // the dataset holds 0 and 1 besides 3..5
    ];

    public static ImmutableArray<string> Names { get; } = [.. Features.Select(f => f.Name)];

    /// <summary>The position of a feature in every vector; throws for a name the schema does not have.</summary>
    public static int IndexOf(string name)
    {
        var index = Names.IndexOf(name);
        return index >= 0 ? index : throw new ArgumentOutOfRangeException(nameof(name), name, "not a feature of the schema");
    }

    /// <summary>Returns the first problem with a raw feature vector, or null when it is valid.</summary>
    public static FeatureViolation? Validate(ReadOnlySpan<double> values)
    {
        if (values.Length != Count)
        {
            return new FeatureViolation("features", $"expected {Count} values, got {values.Length}");
        }

        for (var i = 0; i < Count; i++)
        {
            var spec = Features[i];
            var value = values[i];
            if (!double.IsFinite(value))
            {
                return new FeatureViolation(spec.Name, $"must be a finite number, got {value}");
            }

            if (value < spec.Min || value > spec.Max)
            {
                return new FeatureViolation(spec.Name, $"must be in [{spec.Min}, {spec.Max}], got {value}");
            }

            if (spec.Integral && value != Math.Floor(value))
            {
                return new FeatureViolation(spec.Name, $"must be a whole number, got {value}");
            }
        }

        return null;
    }
}
