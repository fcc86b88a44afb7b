using Npgsql;

namespace MusicDna.PostgreSql;

/// <summary>
/// The index word search runs on: a pg_trgm GIN index on each folded search column, which serves the
/// <c>LIKE '% word%'</c> patterns of <see cref="PostgresTrackCatalogue.SearchAsync"/> (the query itself is unchanged,
/// so it answers exactly as the table scan did; PostgreSQL rechecks every candidate row against the pattern).
/// pg_trgm is a trusted extension: the database's owner, or any role with CREATE on the database, may create it. Where
/// it cannot be created (no privilege, or the server lacks PostgreSQL's contrib modules), the schema step completes
/// without the indexes and search scans the table; every start says so.
/// </summary>
internal static class PostgresSearchIndex
{
    public const string NameIndex = "tracks_search_name_trgm";
    public const string ArtistsIndex = "tracks_search_artists_trgm";

    // The errors CREATE EXTENSION gives where the extension may not or cannot be created here.
    private static readonly string[] ExtensionUnavailable =
    [
        "42501", // insufficient_privilege
        "0A000", // feature_not_supported: "extension is not available"
        "58P01", // undefined_file: no control file
    ];

    /// <summary>Schema step 3, inside the migration's transaction: the extension (if it can be had) and the two indexes.
    /// Returns whether the indexes exist.</summary>
    public static async Task<bool> CreateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, "SAVEPOINT search_index;", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, "CREATE EXTENSION IF NOT EXISTS pg_trgm;", cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (ExtensionUnavailable.Contains(e.SqlState))
        {
            await ExecuteAsync(connection, "ROLLBACK TO SAVEPOINT search_index;", cancellationToken).ConfigureAwait(false);
            return false;
        }

        // Building over a large catalogue takes a while: no statement timeout, and room to sort the trigrams.
        await ExecuteAsync(connection, "SET LOCAL maintenance_work_mem = '256MB';", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection,
            $"CREATE INDEX {NameIndex} ON tracks USING gin (search_name gin_trgm_ops); " +
            $"CREATE INDEX {ArtistsIndex} ON tracks USING gin (search_artists gin_trgm_ops);",
            cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Whether both search indexes exist (they may be missing where the extension could not be created).</summary>
    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'tracks' AND indexname = ANY($1);",
            connection);
        command.Parameters.AddWithValue(new[] { NameIndex, ArtistsIndex });
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 2;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
