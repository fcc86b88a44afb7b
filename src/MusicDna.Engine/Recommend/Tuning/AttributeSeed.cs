using MusicDna.Core.Features;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend.Tuning;

/// <summary>
/// The seed of a request without seeds (an attribute search): the mean track of the genres the filter includes (of
/// the whole catalogue without include_genres; key, mode and time signature their most common value), each targeted
/// audio feature set to its target and every other limited feature moved into its limits.
/// </summary>
internal static class AttributeSeed
{
    public static double[] Features(IReadOnlyList<AttributeTuning> tunings, TrackFilter filter, TrackTable tracks)
    {
        var genres = new HashSet<string>(filter.IncludeGenres, StringComparer.OrdinalIgnoreCase);
        var sums = new double[FeatureSchema.Count];
        var counts = new Dictionary<double, int>[FeatureSchema.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = [];
        }

        var rows = 0;
        foreach (var (_, facts) in tracks.Rows)
        {
            if (genres.Count > 0 && !genres.Contains(facts.Genre))
            {
                continue;
            }

            rows++;
            var features = facts.Features;
            for (var i = 0; i < sums.Length; i++)
            {
                if (FeatureSchema.Features[i].Integral)
                {
                    counts[i][features[i]] = counts[i].GetValueOrDefault(features[i]) + 1;
                }
                else
                {
                    sums[i] += features[i];
                }
            }
        }

        var seed = new double[FeatureSchema.Count];
        for (var i = 0; i < seed.Length; i++)
        {
            var spec = FeatureSchema.Features[i];
            seed[i] = rows == 0 ? Math.Max(spec.Min, 0)
                : spec.Integral ? counts[i].OrderByDescending(c => c.Value).ThenBy(c => c.Key).First().Key
                : sums[i] / rows;
        }

        foreach (var tuning in tunings.Where(t => t.Attribute.IsFeature))
        {
            var i = tuning.Attribute.FeatureIndex;
            seed[i] = tuning.Target ?? Math.Clamp(seed[i], tuning.Min ?? double.NegativeInfinity, tuning.Max ?? double.PositiveInfinity);
            if (FeatureSchema.Features[i].Integral)
            {
                seed[i] = Math.Round(seed[i]);
            }
        }

        return seed;
    }
}
