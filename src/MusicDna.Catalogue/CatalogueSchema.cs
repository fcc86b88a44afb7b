using System.Text.Json;
using Microsoft.Data.Sqlite;
using MusicDna.Core.Features;
using MusicDna.Core.Tracks;

namespace MusicDna.Catalogue;

/// <summary>
/// The database schema and its migrations. <c>PRAGMA user_version</c> holds the schema version;
/// each migration runs in its own transaction, so a crash mid-migration leaves the previous version intact.
/// A migration is its SQL and, where stored values are computed by the domain rather than by SQL, a step that
/// fills them in the same transaction (so every storage backend stores what the domain computes).
/// </summary>
internal static class CatalogueSchema
{
    public static int CurrentVersion => Migrations.Length;

    // One REAL column per audio feature, in schema order. The schema is fixed (every stored vector and model depends
    // on it), so version 1 may spell its columns from it; a change to the schema would need a migration of its own.
    private static readonly string FeatureColumns =
        string.Join("\n            ", FeatureSchema.Names.Select(name => $"{name,-16} REAL    NOT NULL,"));

    private static readonly Migration[] Migrations =
    [
        // Version 1: tracks with their raw features; latent vectors per model version.
        $"""
        CREATE TABLE tracks (
            id               INTEGER PRIMARY KEY,
            track_id         TEXT    NOT NULL UNIQUE,
            name             TEXT    NOT NULL,
            artists          TEXT    NOT NULL,  -- JSON array of strings
            album            TEXT    NOT NULL,
            genre            TEXT    NOT NULL,
            popularity       INTEGER NOT NULL,
            explicit         INTEGER NOT NULL,
            duration_ms      INTEGER NOT NULL,
            {FeatureColumns}
            updated_at       TEXT    NOT NULL
        );
        CREATE TABLE embeddings (
            model_version INTEGER NOT NULL,
            track_rowid   INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
            vector        BLOB    NOT NULL,  -- float32 little-endian
            PRIMARY KEY (model_version, track_rowid)
        ) WITHOUT ROWID;
        """,

        // Version 2: each track's song (Core's SongKey: versions of one song share it), indexed, so a song's versions
        // are found together. Rows stored before are keyed here, in C#, within the migration's transaction.
        new("""
            ALTER TABLE tracks ADD COLUMN song_id TEXT NOT NULL DEFAULT '';
            CREATE INDEX tracks_by_song ON tracks (song_id);
            """,
            KeyStoredSongs),

        // Version 3 (MusicDna Explorer): word search over titles and artist names, and the sonic map's 2-d
        // positions per model version. track_search shares the tracks' row ids and is kept in step by triggers (the
        // artists column holds the names as plain words, decoded from the JSON array, so accents survive).
        """
        CREATE VIRTUAL TABLE track_search USING fts5(
            name, artists, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
        INSERT INTO track_search (rowid, name, artists)
            SELECT id, name, (SELECT group_concat(value, ' ') FROM json_each(tracks.artists)) FROM tracks;
        CREATE TRIGGER tracks_search_insert AFTER INSERT ON tracks BEGIN
            INSERT INTO track_search (rowid, name, artists)
                VALUES (new.id, new.name, (SELECT group_concat(value, ' ') FROM json_each(new.artists)));
        END;
        CREATE TRIGGER tracks_search_update AFTER UPDATE OF name, artists ON tracks BEGIN
            DELETE FROM track_search WHERE rowid = old.id;
            INSERT INTO track_search (rowid, name, artists)
                VALUES (new.id, new.name, (SELECT group_concat(value, ' ') FROM json_each(new.artists)));
        END;
        CREATE TRIGGER tracks_search_delete AFTER DELETE ON tracks BEGIN
            DELETE FROM track_search WHERE rowid = old.id;
        END;
        CREATE TABLE map_positions (
            model_version INTEGER NOT NULL,
            track_rowid   INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
            x             REAL    NOT NULL,
            y             REAL    NOT NULL,
            PRIMARY KEY (model_version, track_rowid)
        ) WITHOUT ROWID;
        """,

        // Version 4: the highest row id ever deleted. New tracks are numbered above it, so a deleted track's row id
        // (which page tokens hold) never names another track; SQLite alone would reuse the largest id once deleted.
        """
        CREATE TABLE row_id_high_water (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            id        INTEGER NOT NULL
        );
        INSERT INTO row_id_high_water (singleton, id) VALUES (1, 0);
        """,

        // Version 5: the catalogue's stamp (CatalogueStamp): a random instance id, and a revision every insert,
        // update and delete of a track raises, whoever writes it (triggers, so a script writing the file directly
        // is counted too). A saved copy of the served tracks serves again only at the revision it was saved at. The
        // step is random (1 to 1,024), so a copy of the file restored from a backup and then written to does not
        // reach the revision of a table saved from the original by the same number of writes.
        """
        CREATE TABLE catalogue_stamp (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            instance  TEXT    NOT NULL,
            revision  INTEGER NOT NULL
        );
        INSERT INTO catalogue_stamp (singleton, instance, revision) VALUES (1, lower(hex(randomblob(16))), 0);
        CREATE TRIGGER tracks_stamp_insert AFTER INSERT ON tracks BEGIN
            UPDATE catalogue_stamp SET revision = revision + 1 + abs(random() % 1024);
        END;
        CREATE TRIGGER tracks_stamp_update AFTER UPDATE ON tracks BEGIN
            UPDATE catalogue_stamp SET revision = revision + 1 + abs(random() % 1024);
        END;
        CREATE TRIGGER tracks_stamp_delete AFTER DELETE ON tracks BEGIN
            UPDATE catalogue_stamp SET revision = revision + 1 + abs(random() % 1024);
        END;
        """,
    ];

    public static void Migrate(SqliteConnection connection, string path)
    {
        var version = ReadUserVersion(connection, path);
        if (version > CurrentVersion)
        {
            throw new CatalogueUnavailableException(
                $"The catalogue '{path}' has schema version {version}, newer than this MusicDna understands " +
                $"({CurrentVersion}). Run a newer MusicDna, or point DataDirectory elsewhere.");
        }

        for (var next = version + 1; next <= CurrentVersion; next++)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var migration = Migrations[next - 1];
            command.CommandText = migration.Sql;
            command.ExecuteNonQuery();
            migration.Fill?.Invoke(connection, transaction);
            command.CommandText = $"PRAGMA user_version = {next};";
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    private static void KeyStoredSongs(SqliteConnection connection, SqliteTransaction transaction)
    {
        var songs = new List<(long Id, string SongId)>();
        using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT id, track_id, name, artists FROM tracks;";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                var artists = JsonSerializer.Deserialize<string[]>(reader.GetString(3)) ?? [];
                songs.Add((reader.GetInt64(0), SongKey.Of(reader.GetString(1), reader.GetString(2), artists)));
            }
        }

        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE tracks SET song_id = $song_id WHERE id = $id;";
        var id = update.Parameters.Add("$id", SqliteType.Integer);
        var songId = update.Parameters.Add("$song_id", SqliteType.Text);
        foreach (var song in songs)
        {
            id.Value = song.Id;
            songId.Value = song.SongId;
            update.ExecuteNonQuery();
        }
    }

    private static long ReadUserVersion(SqliteConnection connection, string path)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version;";
            var version = (long)command.ExecuteScalar()!;
            if (version == 0 && HasForeignTables(connection))
            {
                throw new CatalogueUnavailableException(
                    $"'{path}' is a SQLite database but not a MusicDna catalogue (it has tables and no schema version).");
            }

            return version;
        }
        catch (SqliteException e)
        {
            throw new CatalogueUnavailableException(
                $"The catalogue '{path}' cannot be read ({e.Message.TrimEnd('.')}). It may be corrupt: restore it from a backup " +
                "or move it away to start empty.", e);
        }
    }

    private static bool HasForeignTables(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_schema WHERE type = 'table';";
        return (long)command.ExecuteScalar()! > 0;
    }

    /// <summary>One schema step: its SQL, and optionally values the domain computes for rows already stored.</summary>
    private sealed record Migration(string Sql, Action<SqliteConnection, SqliteTransaction>? Fill = null)
    {
        public static implicit operator Migration(string sql) => new(sql);
    }
}
