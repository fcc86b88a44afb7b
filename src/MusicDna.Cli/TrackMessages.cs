using MusicDna.Contracts.V1;

namespace MusicDna.Cli;

/// <summary>Domain track (as the CSV reader yields it) → contract message.</summary>
internal static class TrackMessages
{
    public static Track ToContract(Core.Tracks.Track track)
    {
        var f = track.Features;
        return new Track
        {
            TrackId = track.TrackId,
            Name = track.Name,
            Artists = { track.Artists },
            Album = track.Album,
            Genre = track.Genre,
            Popularity = track.Popularity,
            Explicit = track.Explicit,
            DurationMs = track.DurationMs,
            Features = new AudioFeatures
            {
                Danceability = f[0], Energy = f[1], Key = f[2], Loudness = f[3], Mode = f[4], Speechiness = f[5],
                Acousticness = f[6], Instrumentalness = f[7], Liveness = f[8], Valence = f[9], Tempo = f[10], TimeSignature = f[11],
            },
        };
    }
}
