using MusicDna.Catalogue;
using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using Npgsql;

namespace MusicDna.PostgreSql;

/// <summary>
/// The shared catalogue's schema and its versioned migrations. <c>schema_migrations</c> lists the versions applied;
/// each migration runs in its own transaction, and the whole run holds an advisory lock, so replicas that start at
/// the same moment migrate once: the first applies what is missing, the others wait and then find nothing to do.
/// </summary>
internal static class PostgresSchema
{
    public static int CurrentVersion => Migrations.Length;

    // One column per audio feature, in schema order (fixed: every stored vector and model depends on it).
    internal static readonly string FeatureColumns =
        string.Join(",\n            ", FeatureSchema.Names.Select(name => $"{name} double precision NOT NULL"));

    private static readonly Migration[] Migrations =
    [
        // Version 1: tracks (with the position of the change that last wrote each), deleted tracks' row ids, latent
        // vectors per model version, published models, the change log every replica follows, shared secrets.
        $"""
        CREATE SEQUENCE change_seq AS bigint;
        CREATE TABLE changes (
            seq          bigint      PRIMARY KEY,
            kind         text        NOT NULL CHECK (kind IN ('tracks', 'deletes', 'model')),
            rows         integer     NOT NULL,
            committed_at timestamptz NOT NULL DEFAULT clock_timestamp()
        );
        CREATE TABLE tracks (
            id          bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            track_id    text    NOT NULL UNIQUE,
            name        text    NOT NULL,
            artists     text[]  NOT NULL,
            album       text    NOT NULL,
            genre       text    NOT NULL,
            popularity  integer NOT NULL,
            explicit    boolean NOT NULL,
            duration_ms bigint  NOT NULL,
            {FeatureColumns},
            updated_at  timestamptz NOT NULL,
            change_seq  bigint  NOT NULL
        );
        CREATE INDEX tracks_by_change ON tracks (change_seq);
        CREATE TABLE deleted_tracks (
            id         bigint      PRIMARY KEY,
            track_id   text        NOT NULL,
            change_seq bigint      NOT NULL,
            deleted_at timestamptz NOT NULL
        );
        CREATE INDEX deleted_tracks_by_change ON deleted_tracks (change_seq);
        CREATE TABLE embeddings (
            model_version bigint NOT NULL,
            track_rowid   bigint NOT NULL,
            vector        bytea  NOT NULL,  -- float32 little-endian
            PRIMARY KEY (model_version, track_rowid)
        );
        -- The versions that have vectors, so a delete finds a track's vectors by primary key under each.
        CREATE TABLE embedding_versions (
            model_version bigint PRIMARY KEY
        );
        CREATE TABLE models (
            version      bigint      PRIMARY KEY,
            manifest     jsonb       NOT NULL,
            weights      bytea       NOT NULL,
            created_at   timestamptz NOT NULL,
            activated_at timestamptz,
            change_seq   bigint
        );
        CREATE TABLE secrets (
            name  text  PRIMARY KEY,
            value bytea NOT NULL
        );
        """,

        // Version 2: what the engine asks of a catalogue since songs and the Explorer: each track's song (Core's
        // SongKey, computed in C#), its title and artists folded for word search (SearchText: lower case, accents
        // removed, each word after a space), and the sonic map's 2-d positions per model version. Rows stored
        // before are filled here, in C#, within the migration's transaction.
        new("""
            ALTER TABLE tracks ADD COLUMN song_id text NOT NULL DEFAULT '';
            ALTER TABLE tracks ADD COLUMN search_name text NOT NULL DEFAULT '';
            ALTER TABLE tracks ADD COLUMN search_artists text NOT NULL DEFAULT '';
            CREATE INDEX tracks_by_song ON tracks (song_id);
            CREATE TABLE map_positions (
                model_version bigint NOT NULL,
                track_rowid   bigint NOT NULL,
                x             real   NOT NULL,
                y             real   NOT NULL,
                PRIMARY KEY (model_version, track_rowid)
            );
            CREATE INDEX map_positions_by_track ON map_positions (track_rowid);
            """,
            FillSongsAndSearchAsync),

        // Version 3: trigram indexes that serve word search's LIKE patterns (PostgresSearchIndex), where the pg_trgm
        // extension can be created; without it this step completes with no index and search scans as before.
        new("", async (connection, cancellationToken) => await PostgresSearchIndex.CreateAsync(connection, cancellationToken).ConfigureAwait(false)),

        // Version 4: the catalogue's random instance id (CatalogueStamp), so a replica's saved copy of the served
        // tracks is never replayed onto another database; its revision is the change log's position.
        """
        CREATE TABLE catalogue_identity (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            instance  text    NOT NULL
        );
        INSERT INTO catalogue_identity (instance) VALUES (replace(gen_random_uuid()::text, '-', ''));
        """,
    ];

    /// <summary>Brings the schema up to date; returns whether word search has its indexes.</summary>
    public static async Task<bool> MigrateAsync(PostgresDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLocks.Class}, {AdvisoryLocks.Migration});", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());",
                cancellationToken).ConfigureAwait(false);
            await using var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations;", connection) { CommandTimeout = 0 };
            var version = (int)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            if (version > CurrentVersion)
            {
                throw new CatalogueUnavailableException(
                    $"The PostgreSQL catalogue at {database.Location} has schema version {version}, newer than this MusicDna " +
                    $"understands ({CurrentVersion}). Run a newer MusicDna, or point MusicDna:Catalogue:ConnectionString elsewhere.");
            }

            for (var next = version + 1; next <= CurrentVersion; next++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var migration = Migrations[next - 1];
                if (migration.Sql.Length > 0)
                {
                    await ExecuteAsync(connection, migration.Sql, cancellationToken).ConfigureAwait(false);
                }

                if (migration.Fill is not null)
                {
                    await migration.Fill(connection, cancellationToken).ConfigureAwait(false);
                }

                await ExecuteAsync(connection, $"INSERT INTO schema_migrations (version) VALUES ({next});", cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return await PostgresSearchIndex.ExistsAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Closing the session releases the lock too; unlocking first hands it to a waiting replica at once.
            try
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLocks.Class}, {AdvisoryLocks.Migration});", CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (PostgresFailure.IsUnavailable(e))
            {
                // The session is gone, and its lock with it.
            }
        }
    }

    // No command timeout: a migration over a large catalogue, and a replica's wait for another replica's migration,
    // must run to the end whatever the connection string's Command Timeout says.
    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rows the version 2 fill reads and updates per statement, so memory stays bounded on any catalogue.</summary>
    internal const int FillBatchRows = 5_000;

    private static async Task FillSongsAndSearchAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var rows = new List<(long Id, string SongId, string Name, string Artists)>(FillBatchRows);
        var after = long.MinValue;
        do
        {
            rows.Clear();
            await using (var read = new NpgsqlCommand(
                $"SELECT id, track_id, name, artists FROM tracks WHERE id > $1 ORDER BY id LIMIT {FillBatchRows};", connection) { CommandTimeout = 0 })
            {
                read.Parameters.AddWithValue(after);
                await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var artists = reader.GetFieldValue<string[]>(3);
                    var name = reader.GetString(2);
                    rows.Add((reader.GetInt64(0), SongKey.Of(reader.GetString(1), name, artists), SearchText.Words(name),
                        SearchText.Words(string.Join(' ', artists))));
                }
            }

            if (rows.Count == 0)
            {
                return;
            }

            await using var update = new NpgsqlCommand(
                "UPDATE tracks t SET song_id = v.song_id, search_name = v.search_name, search_artists = v.search_artists " +
                "FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS v(id, song_id, search_name, search_artists) WHERE t.id = v.id;",
                connection) { CommandTimeout = 0 };
            update.Parameters.AddWithValue(rows.Select(r => r.Id).ToArray());
            update.Parameters.AddWithValue(rows.Select(r => r.SongId).ToArray());
            update.Parameters.AddWithValue(rows.Select(r => r.Name).ToArray());
            update.Parameters.AddWithValue(rows.Select(r => r.Artists).ToArray());
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            after = rows[^1].Id;
        }
        while (rows.Count == FillBatchRows);
    }

    /// <summary>One schema step: its SQL, and optionally values the domain computes for rows already stored.</summary>
    private sealed record Migration(string Sql, Func<NpgsqlConnection, CancellationToken, Task>? Fill = null)
    {
        public static implicit operator Migration(string sql) => new(sql);
    }
}
