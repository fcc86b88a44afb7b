using MusicDna.Core.Features;
using MusicDna.Core.Text;

namespace MusicDna.Core.Tracks;

/// <summary>
/// Checks a track before it enters the catalogue. Field names are the gRPC contract's, so a violation can go back
/// to the caller as it is. Empty name, album and artists are allowed: the real dataset has a track with none.
/// </summary>
public static class TrackValidator
{
    public const int MaxTrackIdLength = 128;
    public const int MaxTextLength = 1_000;
    public const int MaxGenreLength = 100;
    public const int MinPopularity = 0;
    public const int MaxPopularity = 100;

    /// <summary>Returns the first problem with <paramref name="track"/>, or null when it is valid.</summary>
    public static FeatureViolation? Validate(Track track)
    {
        ArgumentNullException.ThrowIfNull(track);
        return CheckTrackId(track.TrackId)
            ?? CheckText("name", track.Name, MaxTextLength)
            ?? CheckArtists(track.Artists)
            ?? CheckText("album", track.Album, MaxTextLength)
            ?? CheckText("genre", track.Genre, MaxGenreLength)
            ?? CheckNumbers(track)
            ?? (track.Features is null
                ? new FeatureViolation("features", "is required")
                : InFeatures(FeatureSchema.Validate(track.Features)));
    }

    // Feature problems are reported at their path in the contract's Track message: "features.tempo".
    private static FeatureViolation? InFeatures(FeatureViolation? violation) =>
        violation is null || violation.Field == "features" ? violation : violation with { Field = "features." + violation.Field };

    private static FeatureViolation? CheckTrackId(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return new FeatureViolation("track_id", "is required");
        }

        if (id.Length > MaxTrackIdLength)
        {
            return new FeatureViolation("track_id", $"must be at most {MaxTrackIdLength} characters, got {id.Length}");
        }

        // An id is a key: " abc" and "abc" must not become two tracks.
        if (char.IsWhiteSpace(id[0]) || char.IsWhiteSpace(id[^1]))
        {
            return new FeatureViolation("track_id", "must not start or end with whitespace");
        }

        if (ClientText.HasControlCharacters(id))
        {
            return new FeatureViolation("track_id", "must not contain control characters");
        }

        return null;
    }

    private static FeatureViolation? CheckArtists(IReadOnlyList<string>? artists)
    {
        if (artists is null)
        {
            return new FeatureViolation("artists", "is required (it may be empty)");
        }

        foreach (var artist in artists)
        {
            var violation = CheckText("artists", artist, MaxTextLength);
            if (violation is not null)
            {
                return violation;
            }
        }

        return null;
    }

    private static FeatureViolation? CheckText(string field, string? value, int maxLength)
    {
        if (value is null)
        {
            return new FeatureViolation(field, "is required (it may be empty)");
        }

        return value.Length > maxLength
            ? new FeatureViolation(field, $"must be at most {maxLength} characters, got {value.Length}")
            : null;
    }

    private static FeatureViolation? CheckNumbers(Track track)
    {
        if (track.Popularity is < MinPopularity or > MaxPopularity)
        {
            return new FeatureViolation("popularity", $"must be in [{MinPopularity}, {MaxPopularity}], got {track.Popularity}");
        }

        return track.DurationMs < 0
            ? new FeatureViolation("duration_ms", $"must not be negative, got {track.DurationMs}")
            : null;
    }
}
