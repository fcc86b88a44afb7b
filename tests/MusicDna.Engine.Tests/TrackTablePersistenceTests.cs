using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Tests;

/// <summary>A track table written whole and read back (what a restart reads instead of the catalogue) holds exactly the
/// live rows it held, with every field, lookup and count, and none of its garbage.</summary>
public sealed class TrackTablePersistenceTests
{
    [Fact]
    public void A_table_read_back_holds_every_live_row_with_its_fields_lookups_and_songs_and_no_dead_slot()
    {
        var table = new TrackTable(3);
        var random = new Random(3);
        var tracks = new Dictionary<long, (Track Track, string Song, float[] Vector)>();
        for (var row = 1; row <= 40_000; row++)
        {
            // Several versions per song, row ids past 2^32 and negative (kept outside the paged range), text songs.
            long rowId = row % 997 == 0 ? (1L << 33) + row : row % 1_009 == 0 ? -row : row;
            var track = TestTracks.Track("t" + row, genre: "g" + (row % 17), popularity: row % 101, artists: ["a" + (row % 300), "b" + (row % 7)]);
            if (row % 500 == 0)
            {
                // No exact compact form: kept as doubles.
                var features = track.Features.ToArray();
                features[0] = 0.1 + 1e-12;
                track = track with { Features = features };
            }

            var song = row % 401 == 0 ? "free text song " + row : SongKey.Of(track with { TrackId = "s" + (row / 3) });
            var vector = Unit(random);
            table.Upsert(rowId, track, song, vector);
            tracks[rowId] = (track, song, vector);
        }

        // Garbage: replaced rows (same and new track id) and removed rows.
        foreach (var rowId in tracks.Keys.Where(id => id % 13 == 0).ToList())
        {
            var (track, song, _) = tracks[rowId];
            var replaced = rowId % 2 == 0 ? track with { Name = "renamed " + rowId, Popularity = 7 } : track with { TrackId = "moved" + rowId };
            var vector = Unit(random);
            table.Upsert(rowId, replaced, song, vector);
            tracks[rowId] = (replaced, song, vector);
        }

        foreach (var rowId in tracks.Keys.Where(id => id % 29 == 0).ToList())
        {
            table.Remove(rowId);
            tracks.Remove(rowId);
        }

        Assert.True(table.DeadSlots > 0);
        var read = RoundTrip(table);

        Assert.Equal(tracks.Count, read.Count);
        Assert.Equal(0, read.DeadSlots);
        Assert.Equal(table.SongCount, read.SongCount);
        Assert.True(read.RawFeatureRows > 0);
        foreach (var (rowId, (track, song, vector)) in tracks)
        {
            Assert.True(read.TryGet(rowId, out var facts));
            Assert.True(TrackContent.Same(track, facts.Track));
            Assert.Equal(song, facts.SongId);
            Assert.Equal(vector, facts.Vector.ToArray());
            Assert.True(read.TryFind(track.TrackId, out var foundRow, out _));
            Assert.Equal(rowId, foundRow);
            for (var i = 0; i < FeatureSchema.Count; i++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(track.Features[i]), BitConverter.DoubleToInt64Bits(facts.Features[i]));
            }
        }

        foreach (var song in tracks.Values.Select(t => t.Song).Distinct().Take(2_000))
        {
            Assert.Equal(table.VersionsOf(song), read.VersionsOf(song));
        }

        Assert.False(read.TryGet(29, out _));
        Assert.False(read.TryFind("t29", out _, out _));
    }

    [Fact]
    public void A_table_read_back_takes_new_upserts_replaces_and_removals_as_a_built_one_does()
    {
        var table = new TrackTable(2);
        for (var row = 1; row <= 100; row++)
        {
            table.Upsert(row, TestTracks.Track("t" + row, genre: "g" + (row % 3)), "song" + (row % 10), [1, 0]);
        }

        var read = RoundTrip(table);
        var fresh = TestTracks.Track("new", genre: "never seen");
        read.Upsert(101, fresh, "song0", [0, 1]);
        read.Upsert(5, TestTracks.Track("t5") with { Name = "changed" }, "song5", [0, 1]);
        read.Remove(6);

        Assert.Equal(100, read.Count);
        Assert.True(read.TryFind("new", out var newRow, out var facts));
        Assert.Equal(101, newRow);
        Assert.Equal("never seen", facts.Genre);
        Assert.True(read.TryGet(5, out var changed));
        Assert.Equal("changed", changed.Name);
        Assert.False(read.TryGet(6, out _));
        Assert.Equal([10L, 20, 30, 40, 50, 60, 70, 80, 90, 100, 101], read.VersionsOf("song0"));
        Assert.Equal(table.SongCount, read.SongCount);
    }

    [Fact]
    public void An_empty_table_reads_back_empty()
    {
        var read = RoundTrip(new TrackTable(4));

        Assert.Equal(0, read.Count);
        Assert.Equal(4, read.LatentSize);
    }

    [Fact]
    public void Bytes_that_are_not_a_saved_table_are_refused_as_invalid_data()
    {
        using var stream = new MemoryStream("MDNAXX01 and more bytes"u8.ToArray());

        Assert.Throws<InvalidDataException>(() => TrackTable.ReadFrom(stream));
    }

    private static TrackTable RoundTrip(TrackTable table)
    {
        using var stream = new MemoryStream();
        table.WriteTo(stream);
        stream.Position = 0;
        var read = TrackTable.ReadFrom(stream);
        Assert.Equal(stream.Length, stream.Position);
        return read;
    }

    private static float[] Unit(Random random)
    {
        var vector = new[] { (float)random.NextDouble() + 0.1f, (float)random.NextDouble(), (float)random.NextDouble() };
        MusicDna.Index.VectorMath.Normalize(vector);
        return vector;
    }
}
