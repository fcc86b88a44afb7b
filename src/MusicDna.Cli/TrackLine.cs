using System.Globalization;
using MusicDna.Contracts.V1;
using MusicDna.Engine.Harmony;

namespace MusicDna.Cli;

/// <summary>The features a DJ steers by, on one line: energy, danceability, valence, tempo and the Camelot key.</summary>
internal static class TrackLine
{
    public static string Features(Track track)
    {
        ArgumentNullException.ThrowIfNull(track);
        var f = track.Features;
        var key = CamelotKey.Of(f.Key, f.Mode)?.ToString() ?? "no key";
        return string.Create(CultureInfo.InvariantCulture,
            $"energy {f.Energy:F2} · dance {f.Danceability:F2} · valence {f.Valence:F2} · {f.Tempo:F0} BPM · {key} · pop {track.Popularity}");
    }

    public static string Title(Track track)
    {
        ArgumentNullException.ThrowIfNull(track);
        return $"{track.TrackId,-22}  {track.Name} — {string.Join(", ", track.Artists)}";
    }
}
