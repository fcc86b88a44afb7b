using MusicDna.Core.Tracks;

namespace MusicDna.Core.Tests.Tracks;

/// <summary>The default catalogue shipped in src/MusicDna.Server/seed must stay readable and within its limits.</summary>
public sealed class ShippedSampleTests
{
    [Fact]
    public async Task The_shipped_sample_reads_cleanly_with_every_genre_and_at_most_5000_rows()
    {
        var path = Path.Combine(Repository.Root, "src", "MusicDna.Server", "seed", "spotify_tracks_sample.csv");
        var tracks = new List<Track>();
        var errors = new List<CsvTrackRow>();

        await using var stream = File.OpenRead(path);
        await foreach (var row in SpotifyCsvReader.ReadAsync(stream))
        {
            if (row.Track is { } track)
            {
                tracks.Add(track);
            }
            else
            {
                errors.Add(row);
            }
        }

        Assert.Empty(errors);
        Assert.InRange(tracks.Count, 4_000, 5_000);
        Assert.Equal(114, tracks.Select(t => t.Genre).Distinct().Count());
        Assert.Equal(tracks.Count, tracks.Select(t => t.TrackId).Distinct().Count());
    }
}
