using MusicDna.Core.Tracks;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Tests;

public sealed class TrackTableSongTests
{
    [Fact]
    public void Rows_of_one_song_are_listed_together()
    {
        var table = new TrackTable(3);
        Upsert(table, 1, "a", "Lithium");
        Upsert(table, 2, "b", "Lithium - Live");
        Upsert(table, 3, "c", "Polly");

        Assert.Equal([1L, 2L], table.VersionsOf(SongKey.Of("a", "Lithium", ["Nirvana"])));
        Assert.Equal(2, table.SongCount);
        Assert.Empty(table.VersionsOf("no-such-song"));
    }

    [Fact]
    public void A_row_upserted_under_another_song_leaves_its_old_song()
    {
        var table = new TrackTable(3);
        Upsert(table, 1, "a", "Lithium");
        Upsert(table, 2, "b", "Lithium - Live");

        Upsert(table, 2, "b", "Polly");

        Assert.Equal([1L], table.VersionsOf(SongKey.Of("a", "Lithium", ["Nirvana"])));
        Assert.Equal([2L], table.VersionsOf(SongKey.Of("b", "Polly", ["Nirvana"])));
    }

    [Fact]
    public void Upserting_a_row_again_lists_it_once_and_removal_drops_an_emptied_song()
    {
        var table = new TrackTable(3);
        Upsert(table, 1, "a", "Lithium");
        Upsert(table, 1, "a", "Lithium");
        Assert.Equal([1L], table.VersionsOf(SongKey.Of("a", "Lithium", ["Nirvana"])));

        table.Remove(1);

        Assert.Empty(table.VersionsOf(SongKey.Of("a", "Lithium", ["Nirvana"])));
        Assert.Equal(0, table.SongCount);
    }

    private static void Upsert(TrackTable table, long rowId, string id, string name) =>
        TestTracks.Upsert(table, rowId, TestTracks.Track(id, artists: "Nirvana") with { Name = name }, [1, 0, 0]);
}
