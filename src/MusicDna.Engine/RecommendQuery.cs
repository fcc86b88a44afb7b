using MusicDna.Core.Errors;
using MusicDna.Core.Features;

namespace MusicDna.Engine;

/// <summary>A request for the <see cref="K"/> tracks most similar to one seed: a catalogue track id or raw features.</summary>
public sealed record RecommendQuery
{
    public const int DefaultK = 10;
    public const int MaxK = 1000;

    private RecommendQuery(string? seedTrackId, double[]? seedFeatures, int k)
    {
        SeedTrackId = seedTrackId;
        SeedFeatures = seedFeatures;
        K = k;
    }

    public string? SeedTrackId { get; }

    public double[]? SeedFeatures { get; }

    public int K { get; }

    public static RecommendQuery ForTrack(string trackId, int k)
    {
        if (string.IsNullOrWhiteSpace(trackId))
        {
            throw new InvalidInputException("track_id", "must not be empty");
        }

        return new RecommendQuery(trackId, null, ValidateK(k));
    }

    public static RecommendQuery ForFeatures(double[] features, int k)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (FeatureSchema.Validate(features) is { } violation)
        {
            throw new InvalidInputException("features." + violation.Field, violation.Reason);
        }

        return new RecommendQuery(null, features, ValidateK(k));
    }

    private static int ValidateK(int k) =>
        k is >= 1 and <= MaxK ? k : throw new InvalidInputException("k", $"must be between 1 and {MaxK}, got {k}");
}
