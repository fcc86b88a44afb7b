using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Tests;

/// <summary>The compact track table: what goes in comes out, replaces and removals, lookups, concurrent readers.</summary>
public sealed class CompactTrackTableTests
{
    private static readonly int TempoIndex = FeatureSchema.IndexOf("tempo");

    [Fact]
    public void Every_field_round_trips_including_unicode_strings_and_several_artists()
    {
        var table = new TrackTable(3);
        var features = TestTracks.Features(new Random(5));
        var track = new Track(
            "idé-🎵-Ωμέγα", "Ça plane pour moi — 東京 🎶", ["Plastic Bertrand", "", "Sigur Rós", "Plastic Bertrand"], "Альбом 𝄞",
            "k-pop", 100, Explicit: true, DurationMs: 3_000_000_000L, features);

        table.Upsert(42, track, SongKey.Of(track), [0.6f, 0, 0.8f]);

        Assert.True(table.TryFind("idé-🎵-Ωμέγα", out var rowId, out var facts));
        Assert.Equal(42, rowId);
        Assert.True(TrackContent.Same(track, facts.Track));
        Assert.Equal(track.TrackId, facts.TrackId);
        Assert.Equal(track.Name, facts.Name);
        Assert.Equal(track.Album, facts.Album);
        Assert.Equal("k-pop", facts.Genre);
        Assert.Equal(["Plastic Bertrand", "", "Sigur Rós", "Plastic Bertrand"], facts.Artists);
        Assert.Equal(100, facts.Popularity);
        Assert.True(facts.Explicit);
        Assert.Equal(3_000_000_000L, facts.DurationMs);
        Assert.Equal(features, facts.Features.ToArray());
        Assert.Equal(features[TempoIndex], facts.Tempo);
        Assert.Equal([0.6f, 0, 0.8f], facts.Vector.ToArray());
        Assert.Equal(SongKey.Of(track), facts.SongId);
    }

    [Theory]
    [InlineData("s")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("chanson ☃ sans clé")]
    public void A_song_id_in_any_other_form_round_trips_and_lists_its_versions(string songId)
    {
        var table = new TrackTable(3);
        table.Upsert(1, TestTracks.Track("a"), songId, [1, 0, 0]);
        table.Upsert(2, TestTracks.Track("b"), songId, [0, 1, 0]);

        Assert.True(table.TryGet(2, out var facts));
        Assert.Equal(songId, facts.SongId);
        Assert.Equal([1L, 2L], table.VersionsOf(songId));
        Assert.Equal(1, table.SongCount);
    }

    [Fact]
    public void A_replaced_row_reads_its_new_values_while_facts_read_before_keep_the_old_ones()
    {
        var table = new TrackTable(3);
        var old = TestTracks.Track("a", genre: "rock", popularity: 10, artists: "Old Artist");
        table.Upsert(7, old, SongKey.Of(old), [1, 0, 0]);
        Assert.True(table.TryGet(7, out var before));

        var renewed = old with { Name = "New name", Genre = "jazz", Popularity = 90, Artists = ["New Artist", "Guest"] };
        table.Upsert(7, renewed, SongKey.Of(renewed), [0, 1, 0]);

        Assert.True(table.TryGet(7, out var after));
        Assert.True(TrackContent.Same(renewed, after.Track));
        Assert.Equal([0f, 1, 0], after.Vector.ToArray());
        Assert.True(TrackContent.Same(old, before.Track));
        Assert.Equal([1f, 0, 0], before.Vector.ToArray());
        Assert.Equal(1, table.Count);
        Assert.Equal(1, table.DeadSlots);
        Assert.True(table.TryFind("a", out var rowId, out var found));
        Assert.Equal(7, rowId);
        Assert.Equal("New name", found.Name);
        Assert.Empty(table.VersionsOf(SongKey.Of(old)));
        Assert.Equal([7L], table.VersionsOf(SongKey.Of(renewed)));
        Assert.Equal([7L], table.Rows.Select(r => r.Key));
    }

    [Fact]
    public void A_removed_row_is_gone_by_row_id_track_id_song_and_enumeration()
    {
        var table = new TrackTable(3);
        var a = TestTracks.Track("a");
        var b = TestTracks.Track("b");
        table.Upsert(1, a, SongKey.Of(a), [1, 0, 0]);
        table.Upsert(2, b, SongKey.Of(b), [0, 1, 0]);

        table.Remove(1);
        table.Remove(1);
        table.Remove(99);

        Assert.False(table.TryGet(1, out _));
        Assert.False(table.TryFind("a", out _, out _));
        Assert.Empty(table.VersionsOf(SongKey.Of(a)));
        Assert.Equal([2L], table.Rows.Select(r => r.Key));
        Assert.Equal(1, table.Count);
        Assert.Equal(1, table.SongCount);
        Assert.True(table.TryFind("b", out var rowId, out _));
        Assert.Equal(2, rowId);
    }

    [Fact]
    public void Unknown_track_ids_miss_whatever_their_length_or_script()
    {
        var table = new TrackTable(3);
        var a = TestTracks.Track("a");
        table.Upsert(1, a, SongKey.Of(a), [1, 0, 0]);

        Assert.False(table.TryFind("", out _, out _));
        Assert.False(table.TryFind("A", out _, out _));
        Assert.False(table.TryFind("a ", out _, out _));
        Assert.False(table.TryFind(string.Concat(Enumerable.Repeat("🎵", 300)), out _, out _));
        Assert.False(table.TryGet(2, out _));
        Assert.False(table.TryGet(-1, out _));
        Assert.False(table.TryGet(long.MaxValue, out _));
    }

    [Fact]
    public void Row_ids_far_outside_the_dense_range_and_long_track_ids_are_stored_too()
    {
        var table = new TrackTable(3);
        var longId = string.Concat(Enumerable.Repeat("é🎵", 150));
        var track = TestTracks.Track(longId);
        table.Upsert(long.MaxValue, track, SongKey.Of(track), [1, 0, 0]);
        table.Upsert(-5, TestTracks.Track("negative"), "s", [0, 1, 0]);

        Assert.True(table.TryFind(longId, out var rowId, out var facts));
        Assert.Equal(long.MaxValue, rowId);
        Assert.Equal(longId, facts.TrackId);
        Assert.True(table.TryFind("negative", out rowId, out _));
        Assert.Equal(-5, rowId);
        Assert.Equal(2, table.Rows.Count());
    }

    [Fact]
    public void Many_rows_stay_findable_through_growth_and_after_half_are_removed()
    {
        const int count = 40_000;
        var table = new TrackTable(3);
        for (var i = 1; i <= count; i++)
        {
            table.Upsert(i, TestTracks.Track($"t{i}", genre: $"g{i % 7}", popularity: i % 101), $"song{i % 1000}", [1, 0, 0]);
        }

        for (var i = 2; i <= count; i += 2)
        {
            table.Remove(i);
        }

        for (var i = 1; i <= count; i++)
        {
            Assert.Equal(i % 2 == 1, table.TryFind($"t{i}", out var rowId, out var facts));
            if (i % 2 == 1)
            {
                Assert.Equal(i, rowId);
                Assert.Equal($"g{i % 7}", facts.Genre);
                Assert.Equal(i % 101, facts.Popularity);
            }
        }

        Assert.Equal(count / 2, table.Count);
        Assert.Equal(500, table.SongCount);
        Assert.Equal(Enumerable.Range(0, 40).Select(k => (long)(1 + (k * 1_000))), table.VersionsOf("song1"));
    }

    [Fact]
    public async Task Concurrent_readers_see_every_row_whole_while_a_writer_replaces_and_removes_rows()
    {
        const int rows = 500;
        var table = new TrackTable(3);
        for (var i = 0; i < rows; i++)
        {
            var track = Versioned(i, 0);
            table.Upsert(i, track, SongKey.Of(track), [1, 0, 0]);
        }

        using var stop = new CancellationTokenSource();
        var failures = 0;
        var reads = 0L;
        var readers = Enumerable.Range(0, 3).Select(r => Task.Run(() =>
        {
            var random = new Random(r);
            while (!stop.IsCancellationRequested)
            {
                var i = random.Next(rows);
                if (table.TryFind($"t{i}", out var rowId, out var facts) && !Whole(facts, rowId))
                {
                    Interlocked.Increment(ref failures);
                }

                foreach (var (id, row) in table.Rows.Take(20))
                {
                    if (!Whole(row, id))
                    {
                        Interlocked.Increment(ref failures);
                    }
                }

                Interlocked.Increment(ref reads);
            }
        })).ToArray();

        // The readers are under way before the writer starts, and read on until it is done.
        while (Interlocked.Read(ref reads) < 3)
        {
            await Task.Delay(1);
        }

        for (var version = 1; version <= 60; version++)
        {
            for (var i = 0; i < rows; i++)
            {
                if ((i + version) % 5 == 0)
                {
                    table.Remove(i);
                }
                else
                {
                    var track = Versioned(i, version);
                    table.Upsert(i, track, SongKey.Of(track), [version % 2, 1 - (version % 2), 0]);
                }
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.Equal(0, failures);
        Assert.Equal(rows - (rows / 5), table.Count);
    }

    // Every field of a row is derived from its version, so a torn read shows as a mismatch.
    private static Track Versioned(int i, int version) =>
        TestTracks.Track($"t{i}", genre: $"g{version}", popularity: version, artists: $"artist {version}") with
        {
            Name = $"t{i} version {version}",
            DurationMs = version,
        };

    private static bool Whole(TrackFacts facts, long rowId)
    {
        var version = facts.Popularity;
        var vector = facts.Vector;
        return facts.TrackId == $"t{rowId}" && facts.Name == $"t{rowId} version {version}" && facts.Genre == $"g{version}"
            && facts.DurationMs == version && facts.Artists.SequenceEqual([$"artist {version}"])
            && (version == 0 || (vector[0] == version % 2 && vector[1] == 1 - (version % 2)));
    }
}
