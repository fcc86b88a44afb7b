using MusicDna.Core.Features;
using MusicDna.Core.Tracks;

namespace MusicDna.Engine.Ingest;

/// <summary>One incoming row: a track, or why it could not even be read (then <see cref="Track"/> is null).</summary>
public sealed record IngestRow(string TrackId, Track? Track, FeatureViolation? Error)
{
    public static IngestRow Valid(Track track) => new(track.TrackId, track, null);

    public static IngestRow Invalid(string trackId, FeatureViolation error) => new(trackId, null, error);
}
