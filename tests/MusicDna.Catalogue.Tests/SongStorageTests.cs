using Microsoft.Data.Sqlite;
using MusicDna.Core.Features;
using MusicDna.Core.Tracks;

namespace MusicDna.Catalogue.Tests;

public sealed class SongStorageTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Track MakeTrack(string id, string name, params string[] artists) =>
        new(id, name, artists, "Album", "grunge", 50, false, 200_000, [0.5, 0.6, 5, -7.5, 1, 0.05, 0.2, 0.0, 0.1, 0.7, 120, 4]);

    [Fact]
    public async Task Upsert_stores_each_tracks_song_and_finds_the_versions_of_one_song_together()
    {
        using var catalogue = TrackCatalogue.Open(_dir.File("c.db"));
        var outcome = await catalogue.UpsertAsync(
        [
            MakeTrack("a", "Smells Like Teen Spirit", "Nirvana"),
            MakeTrack("b", "Smells Like Teen Spirit - Remastered 2021", "Nirvana"),
            MakeTrack("c", "Come As You Are", "Nirvana"),
        ]);

        Assert.Equal(SongKey.Of("a", "Smells Like Teen Spirit", ["Nirvana"]), outcome.SongIds[0]);
        Assert.Equal(outcome.SongIds[0], outcome.SongIds[1]);
        Assert.NotEqual(outcome.SongIds[0], outcome.SongIds[2]);
        Assert.Equal(outcome.SongIds[1], (await catalogue.FindAsync("b"))!.SongId);
        var versions = await catalogue.FindSongVersionsAsync(outcome.SongIds[0]);
        Assert.Equal(["a", "b"], versions.Select(v => v.Track.TrackId));
    }

    [Fact]
    public async Task A_track_upserted_under_a_new_title_moves_to_its_new_song()
    {
        using var catalogue = TrackCatalogue.Open(_dir.File("c.db"));
        var before = await catalogue.UpsertAsync([MakeTrack("a", "Lithium", "Nirvana"), MakeTrack("b", "Lithium - Live", "Nirvana")]);
        var after = await catalogue.UpsertAsync([MakeTrack("b", "Polly", "Nirvana")]);

        Assert.NotEqual(before.SongIds[1], after.SongIds[0]);
        Assert.Equal(["a"], (await catalogue.FindSongVersionsAsync(before.SongIds[0])).Select(v => v.Track.TrackId));
        Assert.Equal(after.SongIds[0], (await catalogue.FindAsync("b"))!.SongId);
    }

    [Fact]
    public async Task Song_keys_survive_reopening_the_file()
    {
        var path = _dir.File("c.db");
        string songId;
        using (var catalogue = TrackCatalogue.Open(path))
        {
            songId = (await catalogue.UpsertAsync([MakeTrack("a", "Heart-Shaped Box", "Nirvana")])).SongIds[0];
        }

        using var reopened = TrackCatalogue.Open(path);
        Assert.Equal(songId, (await reopened.FindAsync("a"))!.SongId);
        await foreach (var entry in reopened.ReadAllAsync())
        {
            Assert.Equal(songId, entry.SongId);
        }
    }

    [Fact]
    public async Task A_version_1_catalogue_is_migrated_with_a_song_key_for_every_stored_track()
    {
        var path = _dir.File("v1.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            var features = string.Join(", ", FeatureSchema.Names.Select(n => n + " REAL NOT NULL"));
            var values = string.Join(", ", FeatureSchema.Names.Select(_ => "0.5"));
            command.CommandText = $"""
                CREATE TABLE tracks (id INTEGER PRIMARY KEY, track_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, artists TEXT NOT NULL,
                    album TEXT NOT NULL, genre TEXT NOT NULL, popularity INTEGER NOT NULL, explicit INTEGER NOT NULL,
                    duration_ms INTEGER NOT NULL, {features}, updated_at TEXT NOT NULL);
                CREATE TABLE embeddings (model_version INTEGER NOT NULL, track_rowid INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
                    vector BLOB NOT NULL, PRIMARY KEY (model_version, track_rowid)) WITHOUT ROWID;
                INSERT INTO tracks VALUES (1, 'a', 'Maybe Christmas - Orchestra Version', '["Yiruma"]', '', 'piano', 48, 0, 1, {values}, 'then');
                INSERT INTO tracks VALUES (2, 'b', 'Maybe Christmas', '["Yiruma"]', '', 'piano', 0, 0, 1, {values}, 'then');
                INSERT INTO tracks VALUES (3, 'c', '', '[]', '', '', 0, 0, 1, {values}, 'then');
                PRAGMA user_version = 1;
                """;
            command.ExecuteNonQuery();
        }

        using var catalogue = TrackCatalogue.Open(path);

        var a = (await catalogue.FindAsync("a"))!;
        Assert.Equal(SongKey.Of(a.Track), a.SongId);
        Assert.Equal(a.SongId, (await catalogue.FindAsync("b"))!.SongId);
        Assert.Equal(SongKey.Of("c", "", []), (await catalogue.FindAsync("c"))!.SongId);
        Assert.Equal(2, (await catalogue.FindSongVersionsAsync(a.SongId)).Count);
        Assert.True(UserVersion(path) >= 2);
    }

    [Fact]
    public void Lookups_by_song_use_the_song_index()
    {
        var path = _dir.File("c.db");
        TrackCatalogue.Open(path).Dispose();

        using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN SELECT id FROM tracks WHERE song_id = 'x';";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Contains("tracks_by_song", reader.GetString(3), StringComparison.Ordinal);
    }

    private static long UserVersion(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return (long)command.ExecuteScalar()!;
    }
}
