using Microsoft.Data.Sqlite;
using MusicDna.Core.Tracks;

namespace MusicDna.Catalogue.Tests;

public sealed class TrackCatalogueTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Track MakeTrack(string id, string genre = "pop", double tempo = 120, string name = "Song") =>
        new(id, name, ["Artist A", "Artist; B"], "Album", genre, 50, false, 200_000,
            [0.5, 0.6, 5, -7.5, 1, 0.05, 0.2, 0.0, 0.1, 0.7, tempo, 4]);

    [Fact]
    public async Task Upsert_counts_new_ids_as_inserted_and_known_ids_as_updated()
    {
        using var catalogue = TrackCatalogue.Open(_dir.File("c.db"));
        var first = await catalogue.UpsertAsync([MakeTrack("a"), MakeTrack("b")]);
        var second = await catalogue.UpsertAsync([MakeTrack("b", genre: "rock"), MakeTrack("c")]);

        Assert.Equal((2, 0), (first.Inserted, first.Updated));
        Assert.Equal((1, 1), (second.Inserted, second.Updated));
        Assert.Equal(first.RowIds[1], second.RowIds[0]);
        Assert.Equal(3, await catalogue.CountAsync());
        Assert.Equal("rock", (await catalogue.FindAsync("b"))!.Track.Genre);
    }

    [Fact]
    public async Task Upsert_of_an_id_repeated_within_one_batch_keeps_the_last_row()
    {
        using var catalogue = TrackCatalogue.Open(_dir.File("c.db"));
        var outcome = await catalogue.UpsertAsync([MakeTrack("x", genre: "jazz"), MakeTrack("x", genre: "blues", tempo: 90)]);

        Assert.Equal((1, 1), (outcome.Inserted, outcome.Updated));
        var stored = (await catalogue.FindAsync("x"))!.Track;
        Assert.Equal("blues", stored.Genre);
        Assert.Equal(90, stored.Features[10]);
        Assert.Equal(1, await catalogue.CountAsync());
    }

    [Fact]
    public async Task Stored_track_round_trips_every_field_including_empty_names_and_separators_in_artists()
    {
        using var catalogue = TrackCatalogue.Open(_dir.File("c.db"));
        var track = MakeTrack("empty", name: "") with { Artists = [], Album = "", Explicit = true, Popularity = 0 };
        var withSemicolon = MakeTrack("semi");
        await catalogue.UpsertAsync([track, withSemicolon]);

        var back = (await catalogue.FindAsync("empty"))!.Track;
        Assert.Equal(track.Features, back.Features);
        Assert.Equal(("", "", true, 0), (back.Name, back.Album, back.Explicit, back.Popularity));
        Assert.Empty(back.Artists);
        Assert.Equal(["Artist A", "Artist; B"], (await catalogue.FindAsync("semi"))!.Track.Artists);
    }

    [Fact]
    public async Task Committed_tracks_and_embeddings_survive_reopening_the_file()
    {
        var path = _dir.File("c.db");
        long rowId;
        using (var catalogue = TrackCatalogue.Open(path))
        {
            rowId = (await catalogue.UpsertAsync([MakeTrack("keep")])).RowIds[0];
            await catalogue.SaveEmbeddingsAsync(7, [rowId], new float[] { 1, 2, 3 }, 3);
        }

        using var reopened = TrackCatalogue.Open(path);
        Assert.Equal(1, await reopened.CountAsync());
        var stored = await reopened.LoadEmbeddingsAsync(7, 3);
        Assert.Equal([rowId], stored.RowIds);
        Assert.Equal([1f, 2f, 3f], stored.Vectors);
        Assert.Equal("ok", reopened.CheckIntegrity());
    }

    [Fact]
    public async Task Vectors_are_stored_per_model_version_and_older_versions_can_be_dropped()
    {
        using var catalogue = TrackCatalogue.Open(_dir.File("c.db"));
        var ids = (await catalogue.UpsertAsync([MakeTrack("a"), MakeTrack("b"), MakeTrack("c")])).RowIds;
        await catalogue.SaveEmbeddingsAsync(1, [ids[0], ids[2]], new float[] { 1, 0, 0, 1 }, 2);

        Assert.Equal([ids[0], ids[2]], (await catalogue.LoadEmbeddingsAsync(1, 2)).RowIds);
        Assert.Equal(2, await catalogue.DeleteEmbeddingsExceptAsync(2));
        Assert.Equal(0, (await catalogue.LoadEmbeddingsAsync(1, 2)).Count);
    }

    [Fact]
    public async Task GetMany_returns_the_known_ids_and_skips_unknown_ones()
    {
        using var catalogue = TrackCatalogue.Open(_dir.File("c.db"));
        var ids = (await catalogue.UpsertAsync([MakeTrack("a"), MakeTrack("b")])).RowIds;

        var found = await catalogue.GetManyAsync([ids[1], 999_999]);

        Assert.Single(found);
        Assert.Equal("b", found[ids[1]].TrackId);
    }

    [Fact]
    public void Open_refuses_a_database_with_a_newer_schema_version_with_a_clear_message()
    {
        var path = _dir.File("newer.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE tracks (id INTEGER); PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<CatalogueUnavailableException>(() => TrackCatalogue.Open(path));
        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_refuses_a_file_that_is_not_a_database()
    {
        var path = _dir.File("garbage.db");
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 31))]);

        var error = Assert.Throws<CatalogueUnavailableException>(() => TrackCatalogue.Open(path));
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_refuses_a_foreign_sqlite_database()
    {
        var path = _dir.File("foreign.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE invoices (id INTEGER);";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<CatalogueUnavailableException>(() => TrackCatalogue.Open(path));
        Assert.Contains("not a MusicDna catalogue", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_upsert_commits_nothing()
    {
        using var catalogue = TrackCatalogue.Open(_dir.File("c.db"));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => catalogue.UpsertAsync([MakeTrack("a")], cts.Token));
        Assert.Equal(0, await catalogue.CountAsync());
    }
}
