using Microsoft.Data.Sqlite;
using MusicDna.Core.Features;

namespace MusicDna.Catalogue;

/// <summary>
/// The database schema and its migrations. <c>PRAGMA user_version</c> holds the schema version;
/// each migration runs in its own transaction, so a crash mid-migration leaves the previous version intact.
/// </summary>
internal static class CatalogueSchema
{
    public const int CurrentVersion = 2;

    // One REAL column per audio feature, in schema order. The schema is fixed (every stored vector and model depends
    // on it), so version 1 may spell its columns from it; a change to the schema would need a migration of its own.
    private static readonly string FeatureColumns =
        string.Join("\n            ", FeatureSchema.Names.Select(name => $"{name,-16} REAL    NOT NULL,"));

    private static readonly string[] Migrations =
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

        // Version 2: the highest row id ever deleted. New tracks are numbered above it, so a deleted track's row id
        // (which page tokens hold) never names another track; SQLite alone would reuse the largest id once deleted.
        """
        CREATE TABLE row_id_high_water (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            id        INTEGER NOT NULL
        );
        INSERT INTO row_id_high_water (singleton, id) VALUES (1, 0);
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
            command.CommandText = Migrations[next - 1] + $"\nPRAGMA user_version = {next};";
            command.ExecuteNonQuery();
            transaction.Commit();
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
}
