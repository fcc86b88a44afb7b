using MusicDna.Core.Features;
using MusicDna.Engine.Snapshots;
using Contract = MusicDna.Contracts.V1;
using Domain = MusicDna.Core.Tracks;

namespace MusicDna.Server.Grpc.Mapping;

/// <summary>The contract's Track ↔ the domain's Track, and a track table row → the contract's Track.</summary>
public static class TrackMapper
{
    /// <summary>The domain track, or null with the first unset feature as <paramref name="missing"/> (field "features.x").</summary>
    public static Domain.Track? TryToDomain(Contract.Track track, out FeatureViolation? missing)
    {
        ArgumentNullException.ThrowIfNull(track);
        var features = FeatureMapper.TryToVector(track.Features, out var unset);
        if (features is null)
        {
            missing = new FeatureViolation(unset!.Field == "features" ? "features" : "features." + unset.Field, unset.Reason);
            return null;
        }

        missing = null;
        return new Domain.Track(
            track.TrackId, track.Name, [.. track.Artists], track.Album, track.Genre,
            track.Popularity, track.Explicit, track.DurationMs, features);
    }

    public static Contract.Track ToContract(this Domain.Track track)
    {
        ArgumentNullException.ThrowIfNull(track);
        return new Contract.Track
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

    /// <summary>The contract's track read straight from a row of the snapshot's track table (no domain track between).</summary>
    public static Contract.Track ToContract(this TrackFacts facts)
    {
        Span<double> features = stackalloc double[FeatureSchema.Count];
        facts.Features.CopyTo(features);
        var track = new Contract.Track
        {
            TrackId = facts.TrackId,
            Name = facts.Name,
            Album = facts.Album,
            Genre = facts.Genre,
            Popularity = facts.Popularity,
            Explicit = facts.Explicit,
            DurationMs = facts.DurationMs,
            Features = FeatureMapper.ToContract(features),
        };
        track.Artists.AddRange(facts.Artists);
        return track;
    }
}
