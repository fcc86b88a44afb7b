using MusicDna.Core.Features;
using MusicDna.Engine;
using Contract = MusicDna.Contracts.V1;
using Domain = MusicDna.Core.Tracks;

namespace MusicDna.Server.Grpc;

/// <summary>The contract's Track ↔ the domain's Track.</summary>
internal static class TrackMapper
{
    /// <summary>An ingest row: the domain track, or why the message cannot become one (validated later by the domain).</summary>
    public static IngestRow ToIngestRow(Contract.Track track)
    {
        var features = FeatureMapper.TryToVector(track.Features, out var missing);
        if (features is null)
        {
            var field = missing!.Field == "features" ? "features" : "features." + missing.Field;
            return IngestRow.Invalid(track.TrackId, new FeatureViolation(field, missing.Reason));
        }

        return IngestRow.Valid(new Domain.Track(
            track.TrackId, track.Name, [.. track.Artists], track.Album, track.Genre,
            track.Popularity, track.Explicit, track.DurationMs, features));
    }

    public static Contract.Track ToContract(Domain.Track track) => new()
    {
        TrackId = track.TrackId,
        Name = track.Name,
        Artists = { track.Artists },
        Album = track.Album,
        Genre = track.Genre,
        Popularity = track.Popularity,
        Explicit = track.Explicit,
        DurationMs = track.DurationMs,
        Features = FeatureMapper.ToContract(track.Features),
    };
}
