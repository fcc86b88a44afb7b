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
    public async Task Committed_tracks_survive_reopening_the_file_and_it_passes_the_integrity_check()
    {
        var path = _dir.File("c.db");
        using (var catalogue = TrackCatalogue.Open(path))
        {
            await catalogue.UpsertAsync([MakeTrack("keep")]);
            await catalogue.DeleteAsync(["keep"], allowMissing: false);
            await catalogue.UpsertAsync([MakeTrack("again")]);
        }

        using var reopened = TrackCatalogue.Open(path);
        Assert.Equal(1, await reopened.CountAsync());
        Assert.Equal("ok", reopened.CheckIntegrity());
    }

    [Fact]
    public async Task A_version_1_file_is_migrated_and_keeps_its_tracks()
    {
        var path = _dir.File("v1.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText =
                "CREATE TABLE tracks (id INTEGER PRIMARY KEY, track_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, artists TEXT NOT NULL, " +
                "album TEXT NOT NULL, genre TEXT NOT NULL, popularity INTEGER NOT NULL, explicit INTEGER NOT NULL, duration_ms INTEGER NOT NULL, " +
                string.Join("", MusicDna.Core.Features.FeatureSchema.Names.Select(n => $"{n} REAL NOT NULL, ")) + "updated_at TEXT NOT NULL); " +
                "CREATE TABLE embeddings (model_version INTEGER NOT NULL, track_rowid INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE, " +
                "vector BLOB NOT NULL, PRIMARY KEY (model_version, track_rowid)) WITHOUT ROWID; " +
                "INSERT INTO tracks VALUES (5, 'old', 'Old', '[]', '', 'pop', 1, 0, 1, 0.5, 0.5, 1, -5, 1, 0.1, 0.1, 0, 0.1, 0.5, 120, 4, 'x'); " +
                "PRAGMA user_version = 1;";
            command.ExecuteNonQuery();
        }

        using var catalogue = TrackCatalogue.Open(path);
        Assert.Equal(5, (await catalogue.FindAsync("old"))!.Id);
        await catalogue.DeleteAsync(["old"], allowMissing: false);
        Assert.Equal(6, (await catalogue.UpsertAsync([MakeTrack("new")])).RowIds[0]);
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
}
