using MusicDna.Core.Errors;
using MusicDna.Core.Features;
using MusicDna.Core.Text;
using MusicDna.Core.Tracks;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// One seed: a catalogue track id or raw features, with a weight and a polarity. <see cref="Path"/> is the
/// request field it came from ("" for the request's own seed, "seeds[2]" for a listed one), so errors name it.
/// </summary>
public sealed record RecommendSeed(string Path, string? TrackId, double[]? Features, double Weight = 1, bool Negative = false)
{
    public const double MaxWeight = 100;

    public string Field(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    internal void Validate()
    {
        if (TrackId is null && Features is null)
        {
            throw new InvalidInputException(Path.Length == 0 ? "seed" : Path, "set track_id or features");
        }

        // No catalogue id is longer or holds control characters (TrackValidator refuses them at ingest); refusing
        // them here keeps a huge id out of the NOT_FOUND message (whose trailer would outgrow the client's header
        // limit) and a forged line break or terminal escape out of every message and log.
        if (TrackId is not null && ClientText.KeyProblem(TrackId, TrackValidator.MaxTrackIdLength) is { } problem)
        {
            throw new InvalidInputException(Field("track_id"), problem);
        }

        if (Features is not null && FeatureSchema.Validate(Features) is { } violation)
        {
            throw new InvalidInputException(Field("features") + "." + violation.Field, violation.Reason);
        }

        if (!double.IsFinite(Weight) || Weight <= 0 || Weight > MaxWeight)
        {
            throw new InvalidInputException(Field("weight"), $"must be greater than 0 and at most {MaxWeight}, got {Weight}");
        }
    }
}
