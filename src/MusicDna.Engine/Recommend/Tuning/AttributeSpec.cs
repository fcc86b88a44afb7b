using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend.Tuning;

/// <summary>
/// An attribute a request may limit or target: one of the 12 audio features, popularity or duration. <see cref="All"/>
/// lists them in the contract's order (Spotify's: alphabetical), each with the range its limits and targets must lie in.
/// </summary>
public sealed record AttributeSpec(string Name, double Lowest, double Highest, int FeatureIndex)
{
    public const string Popularity = "popularity";
    public const string DurationMs = "duration_ms";

    /// <summary>The longest duration a limit may name: a day.</summary>
    public const double MaxDurationMs = 86_400_000;

    public static IReadOnlyList<AttributeSpec> All { get; } = [.. new[]
        {
            "acousticness", "danceability", DurationMs, "energy", "instrumentalness", "key", "liveness", "loudness", "mode",
            Popularity, "speechiness", "tempo", "time_signature", "valence",
        }
        .Select(Of)];

    /// <summary>True for an audio feature (its targets compare in the model's scaled feature space).</summary>
    public bool IsFeature => FeatureIndex >= 0;

    public static AttributeSpec Find(string name) =>
        All.FirstOrDefault(a => a.Name == name) ?? throw new ArgumentOutOfRangeException(nameof(name), name, "not a tunable attribute");

    public double ValueOf(Track track)
    {
        ArgumentNullException.ThrowIfNull(track);
        return Name switch
        {
            Popularity => track.Popularity,
            DurationMs => track.DurationMs,
            _ => track.Features[FeatureIndex],
        };
    }

    public double ValueOf(TrackFacts track) => Name switch
    {
        Popularity => track.Popularity,
        DurationMs => track.DurationMs,
        _ => track.Features[FeatureIndex],
    };

    private static AttributeSpec Of(string name) => name switch
    {
        Popularity => new AttributeSpec(name, 0, 100, -1),
        DurationMs => new AttributeSpec(name, 0, MaxDurationMs, -1),
        _ => FeatureSchema.Features[FeatureSchema.IndexOf(name)] is var spec
            ? new AttributeSpec(name, spec.Min, spec.Max, FeatureSchema.IndexOf(name))
            : throw new InvalidOperationException(),
    };
}
