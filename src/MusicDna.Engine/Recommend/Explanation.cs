using System.Globalization;
using MusicDna.Core.Features;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// Why a track is in the feed, feature by feature, in the features' own units. <see cref="Closest"/>: the two
/// continuous features nearest the seeds (gaps compared in the pipeline's scaled space, where features are
/// comparable), then "same key" when track and seeds share a detected key, else the third nearest. <see cref="Furthest"/>:
/// the continuous feature furthest from the seeds, then a discrete feature that differs (mode, then time signature,
/// then key), else the second furthest; a feature equal to the seeds' is never listed there. Discrete features are
/// named only when they differ, or as "same key".
/// </summary>
public sealed record Explanation(IReadOnlyList<FeatureComparison> Closest, IReadOnlyList<FeatureComparison> Furthest)
{
    private static readonly int Key = FeatureSchema.IndexOf("key");
    private static readonly int Mode = FeatureSchema.IndexOf("mode");
    private static readonly int TimeSignature = FeatureSchema.IndexOf("time_signature");
    private static readonly int[] Continuous = [.. Enumerable.Range(0, FeatureSchema.Count).Where(i => !FeatureSchema.Features[i].Integral)];

    private static readonly string[] KeyNames = ["C", "C♯/D♭", "D", "D♯/E♭", "E", "F", "F♯/G♭", "G", "G♯/A♭", "A", "A♯/B♭", "B"];

    // Scaled gaps below this are equal for the purpose of "what differs": a rounding of the same value.
    private const double Negligible = 1e-6;

    /// <summary>Compares one track with the seeds: raw features in schema order, and both in the scaled space.</summary>
    public static Explanation Of(double[] seedRaw, float[] seedScaled, double[] trackRaw, float[] trackScaled)
    {
        var gaps = new (int Feature, double Gap)[Continuous.Length];
        for (var c = 0; c < Continuous.Length; c++)
        {
            var i = Continuous[c];
            gaps[c] = (i, (double)trackScaled[i] - seedScaled[i]);
        }

        // Stable orderings (schema position on ties), so the same pair always explains the same way.
        var nearest = gaps.OrderBy(g => Math.Abs(g.Gap)).ToArray();
        var furthest = gaps.OrderByDescending(g => Math.Abs(g.Gap)).Where(g => Math.Abs(g.Gap) > Negligible).ToArray();

        var closest = new List<FeatureComparison>(3) { Measured(nearest[0]), Measured(nearest[1]) };
        var sameKey = seedRaw[Key] == trackRaw[Key] && trackRaw[Key] >= 0;
        closest.Add(sameKey ? Discrete(Key, seedRaw[Key], trackRaw[Key], trackScaled[Key] - seedScaled[Key]) : Measured(nearest[2]));

        var differs = new List<FeatureComparison>(2);
        if (furthest.Length > 0)
        {
            differs.Add(Measured(furthest[0]));
        }

        var discrete = new[] { Mode, TimeSignature, Key }.FirstOrDefault(i => seedRaw[i] != trackRaw[i], -1);
        if (discrete >= 0)
        {
            differs.Add(Discrete(discrete, seedRaw[discrete], trackRaw[discrete], trackScaled[discrete] - seedScaled[discrete]));
        }
        else if (furthest.Length > 1)
        {
            differs.Add(Measured(furthest[1]));
        }

        return new Explanation(closest, differs);

        FeatureComparison Measured((int Feature, double Gap) g)
        {
            var name = FeatureSchema.Names[g.Feature];
            var (unit, factor, format) = name switch
            {
                "loudness" => ("dB", 1.0, "0.0"),
                "tempo" => ("BPM", 1.0, "0"),
                _ => ("%", 100.0, "0"),
            };
            var seed = seedRaw[g.Feature] * factor;
            var track = trackRaw[g.Feature] * factor;
            string Shown(double value) => Number(value, unit == "%" && Math.Abs(value) < 10 ? "0.#" : format);
            var text = $"{name} {Shown(seed)} → {Shown(track)} {unit}";
            return new FeatureComparison(name, seed, track, unit, g.Gap, text);
        }
    }

    private static FeatureComparison Discrete(int feature, double seed, double track, double scaledGap)
    {
        var name = FeatureSchema.Names[feature];
        var text = feature == Key
            ? seed == track ? $"same key ({KeyName(track)})" : $"key {KeyName(seed)} → {KeyName(track)}"
            : feature == Mode
                ? $"mode {ModeName(seed)} → {ModeName(track)}"
                : $"time signature {Number(seed, "0")}/4 → {Number(track, "0")}/4";
        return new FeatureComparison(name, seed, track, "", scaledGap, text);
    }

    private static string KeyName(double key) => key is >= 0 and <= 11 ? KeyNames[(int)key] : "no key";

    private static string ModeName(double mode) => mode == 1 ? "major" : "minor";

    // The minus sign of a negative number as a real minus, and never a "-0".
    private static string Number(double value, string format)
    {
        var text = value.ToString(format, CultureInfo.InvariantCulture);
        return text.TrimStart('-').All(c => c is '0' or '.') ? text.TrimStart('-') : text.Replace('-', '−');
    }
}
