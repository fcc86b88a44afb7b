using MusicDna.Core.Tracks;

namespace MusicDna.BenchDriver;

/// <summary>The dataset's readable rows, parsed before any clock starts so parsing is never part of a figure.</summary>
internal static class CsvTracks
{
    public static async Task<List<Track>> ReadAsync(string path, CancellationToken ct)
    {
        var tracks = new List<Track>(120_000);
        await using var stream = File.OpenRead(path);
        await foreach (var row in SpotifyCsvReader.ReadAsync(stream, ct))
        {
            if (row.Track is not null)
            {
                tracks.Add(row.Track);
            }
        }

        return tracks;
    }

    /// <summary>Each track id once, its last row winning, as the catalogue holds them.</summary>
    public static List<Track> Distinct(List<Track> tracks)
    {
        var last = new Dictionary<string, Track>(tracks.Count, StringComparer.Ordinal);
        foreach (var track in tracks)
        {
            last[track.TrackId] = track;
        }

        return [.. last.Values];
    }
}
