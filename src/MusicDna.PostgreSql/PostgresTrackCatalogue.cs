using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MusicDna.Catalogue;
using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using Npgsql;
using NpgsqlTypes;

namespace MusicDna.PostgreSql;

/// <summary>
/// The catalogue of record in PostgreSQL, shared by every replica. Bulk writes travel by binary COPY into a
/// transaction's staging table and reach the tracks in one set-based upsert per batch (the last row of a repeated
/// track id wins); every write records a change (position, kind) that other replicas read (<see cref="PostgresChangeFeed"/>).
/// Row ids come from an identity column and are never reused. A database that is down makes every call fail with
/// UNAVAILABLE (<see cref="Core.Errors.UnavailableException"/>) after a few quick retries.
/// </summary>
public sealed class PostgresTrackCatalogue(PostgresDatabase database) : ITrackCatalogue
{
    private static readonly string[] LeadingColumns =
        ["id", "track_id", "name", "artists", "album", "genre", "popularity", "explicit", "duration_ms"];

    // The song id comes last, after the features.
    internal static readonly string TrackColumns = string.Join(", ", LeadingColumns.Concat(FeatureSchema.Names).Append("song_id"));

    private static readonly string FeatureList = string.Join(", ", FeatureSchema.Names);

    private static readonly string StagingColumns =
        "ord, track_id, name, artists, album, genre, popularity, explicit, duration_ms, " + FeatureList +
        ", song_id, search_name, search_artists, vector";

    private static readonly string UpsertSql =
        // The staging table holds the batch in input order; the newest row of each track id wins, and new tracks are
        // numbered in the order they first appear in the batch.
        $"""
        WITH latest AS (
            SELECT DISTINCT ON (track_id) *, min(ord) OVER (PARTITION BY track_id) AS first_ord
            FROM staging_tracks ORDER BY track_id, ord DESC)
        INSERT INTO tracks (track_id, name, artists, album, genre, popularity, explicit, duration_ms, {FeatureList}, song_id, search_name, search_artists, updated_at, change_seq)
        SELECT track_id, name, artists, album, genre, popularity, explicit, duration_ms, {FeatureList}, song_id, search_name, search_artists, now(), $1
        FROM latest ORDER BY first_ord
        ON CONFLICT (track_id) DO UPDATE SET
            {string.Join(", ", new[] { "name", "artists", "album", "genre", "popularity", "explicit", "duration_ms" }.Concat(FeatureSchema.Names).Concat(["song_id", "search_name", "search_artists", "updated_at", "change_seq"]).Select(c => $"{c} = excluded.{c}"))}
        RETURNING id, track_id, (xmax = 0) AS inserted;
        """;

    public string Location => database.Location;

    public Task<UpsertOutcome> UpsertAsync(IReadOnlyList<Track> tracks, CancellationToken cancellationToken = default) =>
        UpsertCoreAsync(tracks, null, cancellationToken);

    public Task<UpsertOutcome> UpsertAsync(IReadOnlyList<Track> tracks, VectorBatch vectors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(vectors);
        vectors.EnsureRows(tracks.Count);
        return UpsertCoreAsync(tracks, vectors, cancellationToken);
    }

    private Task<UpsertOutcome> UpsertCoreAsync(IReadOnlyList<Track> tracks, VectorBatch? vectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        if (tracks.Count == 0)
        {
            return Task.FromResult(new UpsertOutcome(0, 0, [], []));
        }

        // Computed by the domain, in C#, as SQLite's catalogue computes them.
        var songIds = new string[tracks.Count];
        for (var i = 0; i < tracks.Count; i++)
        {
            songIds[i] = SongKey.Of(tracks[i]);
        }

        return database.WriteAsync(async (connection, _, token) =>
        {
            await ExecuteAsync(connection,
                $"""
                CREATE TEMP TABLE staging_tracks (
                    ord integer, track_id text, name text, artists text[], album text, genre text, popularity integer,
                    explicit boolean, duration_ms bigint, {PostgresSchema.FeatureColumns.Replace(" NOT NULL", "", StringComparison.Ordinal)},
                    song_id text, search_name text, search_artists text, vector bytea
                ) ON COMMIT DROP;
                """, token).ConfigureAwait(false);
            await using (var writer = await connection.BeginBinaryImportAsync($"COPY staging_tracks ({StagingColumns}) FROM STDIN (FORMAT BINARY)", token).ConfigureAwait(false))
            {
                for (var i = 0; i < tracks.Count; i++)
                {
                    var track = tracks[i];
                    await writer.StartRowAsync(token).ConfigureAwait(false);
                    await writer.WriteAsync(i, NpgsqlDbType.Integer, token).ConfigureAwait(false);
                    await writer.WriteAsync(track.TrackId, NpgsqlDbType.Text, token).ConfigureAwait(false);
                    await writer.WriteAsync(track.Name, NpgsqlDbType.Text, token).ConfigureAwait(false);
                    await writer.WriteAsync(track.Artists as string[] ?? [.. track.Artists], NpgsqlDbType.Array | NpgsqlDbType.Text, token).ConfigureAwait(false);
                    await writer.WriteAsync(track.Album, NpgsqlDbType.Text, token).ConfigureAwait(false);
                    await writer.WriteAsync(track.Genre, NpgsqlDbType.Text, token).ConfigureAwait(false);
                    await writer.WriteAsync(track.Popularity, NpgsqlDbType.Integer, token).ConfigureAwait(false);
                    await writer.WriteAsync(track.Explicit, NpgsqlDbType.Boolean, token).ConfigureAwait(false);
                    await writer.WriteAsync(track.DurationMs, NpgsqlDbType.Bigint, token).ConfigureAwait(false);
                    foreach (var value in track.Features)
                    {
                        await writer.WriteAsync(value, NpgsqlDbType.Double, token).ConfigureAwait(false);
                    }

                    await writer.WriteAsync(songIds[i], NpgsqlDbType.Text, token).ConfigureAwait(false);
                    await writer.WriteAsync(SearchText.Words(track.Name), NpgsqlDbType.Text, token).ConfigureAwait(false);
                    await writer.WriteAsync(SearchText.Words(string.Join(' ', track.Artists)), NpgsqlDbType.Text, token).ConfigureAwait(false);

                    if (vectors is null)
                    {
                        await writer.WriteNullAsync(token).ConfigureAwait(false);
                    }
                    else
                    {
                        await writer.WriteAsync(VectorBytes(vectors.Values.Span.Slice(i * vectors.Dimension, vectors.Dimension)), NpgsqlDbType.Bytea, token).ConfigureAwait(false);
                    }
                }

                await writer.CompleteAsync(token).ConfigureAwait(false);
            }

            var position = await PostgresDatabase.RecordChangeAsync(connection, "tracks", tracks.Count, token).ConfigureAwait(false);
            var rowIdByTrackId = new Dictionary<string, long>(tracks.Count, StringComparer.Ordinal);
            var inserted = 0;
            await using (var upsert = new NpgsqlCommand(UpsertSql, connection))
            {
                upsert.Parameters.AddWithValue(position);
                await using var reader = await upsert.ExecuteReaderAsync(token).ConfigureAwait(false);
                while (await reader.ReadAsync(token).ConfigureAwait(false))
                {
                    rowIdByTrackId[reader.GetString(1)] = reader.GetInt64(0);
                    inserted += reader.GetBoolean(2) ? 1 : 0;
                }
            }

            if (vectors is not null)
            {
                await using var embeddings = new NpgsqlCommand(
                    """
                    INSERT INTO embeddings (model_version, track_rowid, vector)
                    SELECT $1, t.id, latest.vector
                    FROM (SELECT DISTINCT ON (track_id) track_id, vector FROM staging_tracks ORDER BY track_id, ord DESC) latest
                    JOIN tracks t USING (track_id)
                    ON CONFLICT (model_version, track_rowid) DO UPDATE SET vector = excluded.vector;
                    """, connection);
                embeddings.Parameters.AddWithValue(vectors.ModelVersion);
                await embeddings.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                await NoteVersionAsync(connection, vectors.ModelVersion, token).ConfigureAwait(false);
            }

            var rowIds = new long[tracks.Count];
            for (var i = 0; i < tracks.Count; i++)
            {
                rowIds[i] = rowIdByTrackId[tracks[i].TrackId];
            }

            // As SQLite counts: a repeated id is inserted once (when new) and updated by each later row.
            return new UpsertOutcome(inserted, tracks.Count - inserted, rowIds, songIds);
        }, cancellationToken);
    }

    public async Task<DeleteOutcome> DeleteAsync(IReadOnlyCollection<string> trackIds, bool allowMissing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trackIds);
        string[] requested = [.. trackIds.Distinct(StringComparer.Ordinal)];
        if (requested.Length == 0)
        {
            return new DeleteOutcome([], []);
        }

        var outcome = await database.WriteAsync(async (connection, transaction, token) =>
        {
            await PostgresDatabase.LockChangeWritersAsync(connection, token).ConfigureAwait(false);

            var deleted = new Dictionary<string, long>(StringComparer.Ordinal);
            await using (var delete = new NpgsqlCommand("DELETE FROM tracks WHERE track_id = ANY($1) RETURNING id, track_id;", connection))
            {
                delete.Parameters.AddWithValue(requested);
                await using var reader = await delete.ExecuteReaderAsync(token).ConfigureAwait(false);
                while (await reader.ReadAsync(token).ConfigureAwait(false))
                {
                    deleted[reader.GetString(1)] = reader.GetInt64(0);
                }
            }

            List<string> missing = [.. requested.Where(id => !deleted.ContainsKey(id))];
            if (deleted.Count == 0 || (missing.Count > 0 && !allowMissing))
            {
                // All or nothing: the rows deleted above come back when the transaction is rolled back.
                return (RowIds: (IReadOnlyList<long>)[], Missing: missing, Commit: false);
            }

            var position = await PostgresDatabase.RecordChangeAsync(connection, "deletes", deleted.Count, token).ConfigureAwait(false);
            long[] rowIds = [.. deleted.Values];
            await using (var record = new NpgsqlCommand(
                "INSERT INTO deleted_tracks (id, track_id, change_seq, deleted_at) " +
                "SELECT id, track_id, $3, now() FROM unnest($1::bigint[], $2::text[]) AS gone(id, track_id);", connection))
            {
                record.Parameters.AddWithValue(rowIds);
                record.Parameters.AddWithValue(deleted.Keys.ToArray());
                record.Parameters.AddWithValue(position);
                await record.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            }

            // By primary key, under every version that has vectors.
            await using var vectors = new NpgsqlCommand(
                "DELETE FROM embeddings e USING (SELECT v.model_version, g.id FROM embedding_versions v " +
                "CROSS JOIN unnest($1::bigint[]) AS g(id)) gone WHERE e.model_version = gone.model_version AND e.track_rowid = gone.id;", connection);
            vectors.Parameters.AddWithValue(rowIds);
            await vectors.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            await using var positions = new NpgsqlCommand("DELETE FROM map_positions WHERE track_rowid = ANY($1);", connection);
            positions.Parameters.AddWithValue(rowIds);
            await positions.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            return (RowIds: (IReadOnlyList<long>)rowIds, Missing: missing, Commit: true);
        }, cancellationToken, result => result.Commit).ConfigureAwait(false);

        return new DeleteOutcome(outcome.RowIds, outcome.Missing);
    }

    public Task<CatalogueStamp> ReadStampAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT (SELECT instance FROM catalogue_identity), (SELECT coalesce(max(seq), 0) FROM changes);", connection);
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            await reader.ReadAsync(token).ConfigureAwait(false);
            if (reader.IsDBNull(0))
            {
                throw new CatalogueUnavailableException($"The PostgreSQL catalogue at {database.Location} has lost its identity row (catalogue_identity is empty).");
            }

            return new CatalogueStamp(reader.GetString(0), reader.GetInt64(1));
        }, cancellationToken);

    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM tracks;", connection);
            return (long)(await command.ExecuteScalarAsync(token).ConfigureAwait(false))!;
        }, cancellationToken);

    public Task<CatalogueEntry?> FindAsync(string trackId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand($"SELECT {TrackColumns} FROM tracks WHERE track_id = $1;", connection);
            command.Parameters.AddWithValue(trackId);
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            return await reader.ReadAsync(token).ConfigureAwait(false) ? ReadEntry(reader) : null;
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<long, Track>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return new Dictionary<long, Track>();
        }

        return await database.ReadAsync(async (connection, token) =>
        {
            var result = new Dictionary<long, Track>(ids.Count);
            await using var command = new NpgsqlCommand($"SELECT {TrackColumns} FROM tracks WHERE id = ANY($1);", connection);
            command.Parameters.AddWithValue(ids.ToArray());
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                var entry = ReadEntry(reader);
                result[entry.Id] = entry.Track;
            }

            return (IReadOnlyDictionary<long, Track>)result;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<CatalogueEntry> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Binary COPY out: the fastest way to stream a whole table, in row id order.
        NpgsqlConnection? connection = null;
        NpgsqlBinaryExporter? exporter = null;
        try
        {
            try
            {
                connection = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                exporter = await connection.BeginBinaryExportAsync(
                    $"COPY (SELECT {TrackColumns} FROM tracks ORDER BY id) TO STDOUT (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (PostgresFailure.IsUnavailable(e))
            {
                throw PostgresFailure.Unavailable(e);
            }

            while (await NextAsync(exporter, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                yield return entry;
            }
        }
        finally
        {
            if (exporter is not null)
            {
                await DisposeQuietlyAsync(exporter).ConfigureAwait(false);
            }

            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task SaveEmbeddingsAsync(
        long modelVersion, IReadOnlyList<long> rowIds, ReadOnlyMemory<float> vectors, int dimension, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rowIds);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (vectors.Length != rowIds.Count * dimension)
        {
            throw new ArgumentException($"expected {rowIds.Count * dimension} values, got {vectors.Length}", nameof(vectors));
        }

        if (rowIds.Count == 0)
        {
            return;
        }

        await database.WriteAsync(async (connection, _, token) =>
        {
            await ExecuteAsync(connection, "CREATE TEMP TABLE staging_embeddings (track_rowid bigint, vector bytea) ON COMMIT DROP;", token).ConfigureAwait(false);
            await using (var writer = await connection.BeginBinaryImportAsync("COPY staging_embeddings (track_rowid, vector) FROM STDIN (FORMAT BINARY)", token).ConfigureAwait(false))
            {
                for (var i = 0; i < rowIds.Count; i++)
                {
                    await writer.StartRowAsync(token).ConfigureAwait(false);
                    await writer.WriteAsync(rowIds[i], NpgsqlDbType.Bigint, token).ConfigureAwait(false);
                    await writer.WriteAsync(VectorBytes(vectors.Span.Slice(i * dimension, dimension)), NpgsqlDbType.Bytea, token).ConfigureAwait(false);
                }

                await writer.CompleteAsync(token).ConfigureAwait(false);
            }

            // Only rows whose track still exists: a track deleted meanwhile gets no orphan vector.
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO embeddings (model_version, track_rowid, vector)
                SELECT DISTINCT ON (s.track_rowid) $1, s.track_rowid, s.vector FROM staging_embeddings s JOIN tracks t ON t.id = s.track_rowid
                ON CONFLICT (model_version, track_rowid) DO UPDATE SET vector = excluded.vector;
                """, connection);
            insert.Parameters.AddWithValue(modelVersion);
            await insert.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            await NoteVersionAsync(connection, modelVersion, token).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredEmbeddings> LoadEmbeddingsAsync(long modelVersion, int dimension, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        return await database.ReadAsync(async (connection, token) =>
        {
            var ids = new List<long>();
            var values = new List<float>();
            var sql = FormattableString.Invariant(
                $"COPY (SELECT track_rowid, vector FROM embeddings WHERE model_version = {modelVersion} ORDER BY track_rowid) TO STDOUT (FORMAT BINARY)");
            await using var exporter = await connection.BeginBinaryExportAsync(sql, token).ConfigureAwait(false);
            while (await exporter.StartRowAsync(token).ConfigureAwait(false) != -1)
            {
                var rowId = await exporter.ReadAsync<long>(NpgsqlDbType.Bigint, token).ConfigureAwait(false);
                var blob = await exporter.ReadAsync<byte[]>(NpgsqlDbType.Bytea, token).ConfigureAwait(false);
                if (blob.Length != dimension * sizeof(float))
                {
                    throw new CatalogueUnavailableException(
                        $"Stored vector of row {rowId} under model {modelVersion} has {blob.Length} bytes, expected {dimension * sizeof(float)}.");
                }

                ids.Add(rowId);
                values.AddRange(MemoryMarshal.Cast<byte, float>(blob));
            }

            return new StoredEmbeddings([.. ids], [.. values], dimension);
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<int> DeleteEmbeddingsExceptAsync(long keepVersion, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, _, token) =>
        {
            await using var command = new NpgsqlCommand("DELETE FROM embeddings WHERE model_version <> $1;", connection);
            command.Parameters.AddWithValue(keepVersion);
            var removed = await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            await using var versions = new NpgsqlCommand("DELETE FROM embedding_versions WHERE model_version <> $1;", connection);
            versions.Parameters.AddWithValue(keepVersion);
            await versions.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            return removed;
        }, cancellationToken);

    public Task<IReadOnlyList<CatalogueEntry>> FindSongVersionsAsync(string songId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(songId);
        return database.ReadAsync(async (connection, token) =>
        {
            var versions = new List<CatalogueEntry>();
            await using var command = new NpgsqlCommand($"SELECT {TrackColumns} FROM tracks WHERE song_id = $1 ORDER BY id;", connection);
            command.Parameters.AddWithValue(songId);
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                versions.Add(ReadEntry(reader));
            }

            return (IReadOnlyList<CatalogueEntry>)versions;
        }, cancellationToken);
    }

    /// <summary>
    /// Word search over the folded title and artist columns (<see cref="SearchText"/>): a word matches where a folded
    /// column holds a space followed by it. Title matches weigh 2 and artist matches 1 per query word (as SQLite's bm25
    /// weights rank them), then popularity, then track id.
    /// </summary>
    public Task<TrackSearchResult> SearchAsync(IReadOnlyList<string> words, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentOutOfRangeException.ThrowIfLessThan(words.Count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return database.ReadAsync(async (connection, token) =>
        {
            await using var command = SearchCommand(connection, words, limit + 1);
            var tracks = new List<Track>(limit + 1);
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                tracks.Add(ReadEntry(reader).Track);
            }

            var truncated = tracks.Count > limit;
            return new TrackSearchResult(truncated ? tracks.GetRange(0, limit) : tracks, truncated);
        }, cancellationToken);
    }

    /// <summary>The query <see cref="SearchAsync"/> runs for <paramref name="words"/>, at most <paramref name="rows"/>
    /// rows (the patterns are LIKE word prefixes, which the trigram indexes of <see cref="PostgresSearchIndex"/> serve).</summary>
    internal static NpgsqlCommand SearchCommand(NpgsqlConnection connection, IReadOnlyList<string> words, int rows)
    {
        var patterns = words
            .Select(w => "% " + SearchText.Fold(w).Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%")
            .ToArray();
        var filters = new List<string>();
        var scores = new List<string>();
        for (var i = 1; i <= patterns.Length; i++)
        {
            filters.Add($"(search_name LIKE ${i} OR search_artists LIKE ${i})");
            scores.Add($"(CASE WHEN search_name LIKE ${i} THEN 2 ELSE 0 END + CASE WHEN search_artists LIKE ${i} THEN 1 ELSE 0 END)");
        }

        var limitParameter = patterns.Length + 1;
        var command = new NpgsqlCommand(
            $"SELECT {TrackColumns} FROM tracks WHERE {string.Join(" AND ", filters)} " +
            $"ORDER BY {string.Join(" + ", scores)} DESC, popularity DESC, track_id LIMIT ${limitParameter};",
            connection);
        foreach (var pattern in patterns)
        {
            command.Parameters.AddWithValue(pattern);
        }

        command.Parameters.AddWithValue(rows);
        return command;
    }

    public async Task SaveMapPositionsAsync(
        long modelVersion, IReadOnlyList<long> rowIds, ReadOnlyMemory<float> x, ReadOnlyMemory<float> y,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rowIds);
        if (x.Length != rowIds.Count || y.Length != rowIds.Count)
        {
            throw new ArgumentException($"{rowIds.Count} row ids, {x.Length} x and {y.Length} y values do not line up.");
        }

        if (rowIds.Count == 0)
        {
            return;
        }

        await database.WriteAsync(async (connection, _, token) =>
        {
            // Only rows whose track still exists; the last position of a row repeated in the batch wins.
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO map_positions (model_version, track_rowid, x, y)
                SELECT DISTINCT ON (p.id) $1, p.id, p.x, p.y
                FROM unnest($2::bigint[], $3::real[], $4::real[]) WITH ORDINALITY AS p(id, x, y, ord)
                JOIN tracks t ON t.id = p.id
                ORDER BY p.id, p.ord DESC
                ON CONFLICT (model_version, track_rowid) DO UPDATE SET x = excluded.x, y = excluded.y;
                """, connection);
            insert.Parameters.AddWithValue(modelVersion);
            insert.Parameters.AddWithValue(rowIds.ToArray());
            insert.Parameters.AddWithValue(x.ToArray());
            insert.Parameters.AddWithValue(y.ToArray());
            await insert.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<StoredMapPositions> LoadMapPositionsAsync(long modelVersion, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async (connection, token) =>
        {
            var ids = new List<long>();
            var xs = new List<float>();
            var ys = new List<float>();
            await using var command = new NpgsqlCommand(
                "SELECT track_rowid, x, y FROM map_positions WHERE model_version = $1 ORDER BY track_rowid;", connection);
            command.Parameters.AddWithValue(modelVersion);
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                ids.Add(reader.GetInt64(0));
                xs.Add(reader.GetFloat(1));
                ys.Add(reader.GetFloat(2));
            }

            return new StoredMapPositions([.. ids], [.. xs], [.. ys]);
        }, cancellationToken);

    public Task<int> DeleteMapPositionsExceptAsync(long keepVersion, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, _, token) =>
        {
            await using var command = new NpgsqlCommand("DELETE FROM map_positions WHERE model_version <> $1;", connection);
            command.Parameters.AddWithValue(keepVersion);
            return await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The catalogue's own database is shared: the data source belongs to whoever opened it.</summary>
    public void Dispose()
    {
    }

    internal static byte[] VectorBytes(ReadOnlySpan<float> vector) => MemoryMarshal.AsBytes(vector).ToArray();

    internal static CatalogueEntry ReadEntry(NpgsqlDataReader reader)
    {
        var features = new double[FeatureSchema.Count];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = reader.GetDouble(LeadingColumns.Length + i);
        }

        var track = new Track(
            TrackId: reader.GetString(1),
            Name: reader.GetString(2),
            Artists: reader.GetFieldValue<string[]>(3),
            Album: reader.GetString(4),
            Genre: reader.GetString(5),
            Popularity: reader.GetInt32(6),
            Explicit: reader.GetBoolean(7),
            DurationMs: reader.GetInt64(8),
            Features: features);
        return new CatalogueEntry(reader.GetInt64(0), track, reader.GetString(LeadingColumns.Length + FeatureSchema.Count));
    }

    private static async Task<CatalogueEntry?> NextAsync(NpgsqlBinaryExporter exporter, CancellationToken cancellationToken)
    {
        try
        {
            if (await exporter.StartRowAsync(cancellationToken).ConfigureAwait(false) == -1)
            {
                return null;
            }

            var id = await exporter.ReadAsync<long>(NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            var trackId = await exporter.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            var name = await exporter.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            var artists = await exporter.ReadAsync<string[]>(NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            var album = await exporter.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            var genre = await exporter.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            var popularity = await exporter.ReadAsync<int>(NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            var isExplicit = await exporter.ReadAsync<bool>(NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
            var duration = await exporter.ReadAsync<long>(NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            var features = new double[FeatureSchema.Count];
            for (var i = 0; i < features.Length; i++)
            {
                features[i] = await exporter.ReadAsync<double>(NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            }

            var songId = await exporter.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            return new CatalogueEntry(id, new Track(trackId, name, artists, album, genre, popularity, isExplicit, duration, features), songId);
        }
        catch (Exception e) when (PostgresFailure.IsUnavailable(e))
        {
            throw PostgresFailure.Unavailable(e);
        }
    }

    private static async Task DisposeQuietlyAsync(NpgsqlBinaryExporter exporter)
    {
        try
        {
            // Ending early (a cancelled or abandoned read) cancels the COPY on the server.
            await exporter.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (PostgresFailure.IsUnavailable(e) || e is OperationCanceledException)
        {
            // The connection is being thrown away anyway.
        }
    }

    private static async Task NoteVersionAsync(NpgsqlConnection connection, long modelVersion, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("INSERT INTO embedding_versions (model_version) VALUES ($1) ON CONFLICT DO NOTHING;", connection);
        command.Parameters.AddWithValue(modelVersion);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
