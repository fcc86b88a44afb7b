using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MusicDna.Core.Features;
using MusicDna.Core.Tracks;

namespace MusicDna.Catalogue;

/// <summary>
/// The durable catalogue: one SQLite file in WAL mode holding tracks (upserted by track id) and their
/// latent vectors per model version. A committed transaction survives a process kill at any synchronous setting
/// (it is in the WAL file); synchronous=FULL also syncs the WAL at every commit, so a commit survives power loss and
/// an operating-system crash too. Reads run concurrently; writes are serialised here so they never meet SQLITE_BUSY.
/// </summary>
public sealed class TrackCatalogue : ITrackCatalogue
{
    // The columns every read returns, in ordinal order: the metadata, then one column per feature in schema order.
    private static readonly string[] LeadingColumns =
        ["id", "track_id", "name", "artists", "album", "genre", "popularity", "explicit", "duration_ms", "song_id"];

    private static readonly string TrackColumns = string.Join(", ", LeadingColumns.Concat(FeatureSchema.Names));

    // Rows per upsert statement: one statement for several rows saves SQLite's per-statement work (a step, a reset).
    private const int RowsPerUpsert = 8;

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    private TrackCatalogue(string path, string connectionString)
    {
        Path = path;
        _connectionString = connectionString;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    public string Location => Path;

    /// <summary>Opens (creating if needed) the catalogue at <paramref name="path"/> and migrates its schema.</summary>
    /// <exception cref="CatalogueUnavailableException">The file is corrupt, foreign, or of a newer schema.</exception>
    public static TrackCatalogue Open(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        var catalogue = new TrackCatalogue(fullPath, connectionString);
        try
        {
            using var connection = catalogue.OpenConnection();
            Execute(connection, "PRAGMA journal_mode = WAL;");
            CatalogueSchema.Migrate(connection, fullPath);
        }
        catch (SqliteException e)
        {
            throw new CatalogueUnavailableException(
                $"The catalogue '{fullPath}' cannot be opened ({e.Message.TrimEnd('.')}). It may be corrupt: restore it " +
                "from a backup or move it away to start empty.", e);
        }

        return catalogue;
    }

    /// <summary>
    /// Inserts new tracks and replaces existing ones (same track id) in one transaction: all or nothing.
    /// A track id repeated within <paramref name="tracks"/> is applied in order, so the last row wins. Each track's
    /// song (<see cref="SongKey"/>) is computed here and stored with it.
    /// </summary>
    public Task<UpsertOutcome> UpsertAsync(IReadOnlyList<Track> tracks, CancellationToken cancellationToken = default) =>
        UpsertCoreAsync(tracks, null, cancellationToken);

    /// <inheritdoc />
    public Task<UpsertOutcome> UpsertAsync(IReadOnlyList<Track> tracks, VectorBatch vectors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(vectors);
        vectors.EnsureRows(tracks.Count);
        return UpsertCoreAsync(tracks, vectors, cancellationToken);
    }

    private async Task<UpsertOutcome> UpsertCoreAsync(IReadOnlyList<Track> tracks, VectorBatch? vectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        // Pure domain work: done before the write gate, so it never holds up another writer.
        var songIds = new string[tracks.Count];
        for (var i = 0; i < tracks.Count; i++)
        {
            songIds[i] = SongKey.Of(tracks[i]);
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = OpenConnection();
            using var transaction = connection.BeginTransaction();
            var rowIds = new long[tracks.Count];
            var inserted = AssignRowIds(connection, transaction, tracks, rowIds);
            WriteTracks(connection, tracks, rowIds, songIds, cancellationToken);
            if (vectors is not null)
            {
                // In input order, so a repeated id keeps the last row's vector, as it keeps the last row.
                InsertEmbeddings(connection, transaction, vectors.ModelVersion, rowIds, vectors.Values, vectors.Dimension, cancellationToken);
            }

            transaction.Commit();
            return new UpsertOutcome(inserted, tracks.Count - inserted, rowIds, songIds);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Gives every row its row id before anything is written, and returns how many rows are new: a stored track id
    /// keeps its id; a new one is numbered above every id in use or ever deleted, in the order new ids first appear
    /// (a repeat within the batch gets the first one's id and counts as an update). One query finds the stored ids of
    /// the whole batch, instead of one per row.
    /// </summary>
    private static int AssignRowIds(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<Track> tracks, long[] rowIds)
    {
        var known = new Dictionary<string, long>(tracks.Count, StringComparer.Ordinal);
        using (var find = connection.CreateCommand())
        {
            find.Transaction = transaction;
            find.CommandText = "SELECT track_id, id FROM tracks WHERE track_id IN (SELECT value FROM json_each($track_ids));";
            find.Parameters.AddWithValue("$track_ids", JsonSerializer.Serialize(tracks.Select(t => t.TrackId)));
            using var reader = find.ExecuteReader();
            while (reader.Read())
            {
                known[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        long next;
        using (var highest = connection.CreateCommand())
        {
            highest.Transaction = transaction;
            highest.CommandText = "SELECT max(coalesce((SELECT max(id) FROM tracks), 0), (SELECT id FROM row_id_high_water)) + 1;";
            next = (long)highest.ExecuteScalar()!;
        }

        var inserted = 0;
        for (var i = 0; i < tracks.Count; i++)
        {
            if (!known.TryGetValue(tracks[i].TrackId, out rowIds[i]))
            {
                rowIds[i] = next;
                known.Add(tracks[i].TrackId, next++);
                inserted++;
            }
        }

        return inserted;
    }

    /// <summary>Upserts the rows with their assigned ids, <see cref="RowsPerUpsert"/> rows per statement, in the
    /// connection's open transaction.</summary>
    private static void WriteTracks(
        SqliteConnection connection, IReadOnlyList<Track> tracks, long[] rowIds, string[] songIds, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow.ToString("O");
        UpsertStatement? full = null;
        try
        {
            for (var start = 0; start < tracks.Count; start += RowsPerUpsert)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rows = Math.Min(RowsPerUpsert, tracks.Count - start);
                var statement = rows == RowsPerUpsert
                    ? full ??= new UpsertStatement(connection, RowsPerUpsert)
                    : new UpsertStatement(connection, rows);
                try
                {
                    statement.Execute(tracks, rowIds, songIds, start, now);
                }
                finally
                {
                    if (statement != full)
                    {
                        statement.Dispose();
                    }
                }
            }
        }
        finally
        {
            full?.Dispose();
        }
    }

    /// <inheritdoc />
    public async Task<DeleteOutcome> DeleteAsync(
        IReadOnlyCollection<string> trackIds, bool allowMissing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trackIds);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = OpenConnection();
            using var transaction = connection.BeginTransaction();
            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            // Vectors go with their track (ON DELETE CASCADE).
            delete.CommandText = "DELETE FROM tracks WHERE track_id = $track_id RETURNING id;";
            var trackId = delete.Parameters.Add("$track_id", SqliteType.Text);
            var rowIds = new List<long>(trackIds.Count);
            var missing = new List<string>();
            foreach (var id in trackIds.Distinct(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                trackId.Value = id;
                if (delete.ExecuteScalar() is long rowId)
                {
                    rowIds.Add(rowId);
                }
                else
                {
                    missing.Add(id);
                }
            }

            if (missing.Count > 0 && !allowMissing)
            {
                transaction.Rollback();
                return new DeleteOutcome([], missing);
            }

            if (rowIds.Count > 0)
            {
                using var highWater = connection.CreateCommand();
                highWater.Transaction = transaction;
                highWater.CommandText = "UPDATE row_id_high_water SET id = max(id, $id);";
                highWater.Parameters.AddWithValue("$id", rowIds.Max());
                highWater.ExecuteNonQuery();
            }

            transaction.Commit();
            return new DeleteOutcome(rowIds, missing);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<CatalogueStamp> ReadStampAsync(CancellationToken cancellationToken = default)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT instance, revision FROM catalogue_stamp;";
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new CatalogueUnavailableException($"The catalogue '{Path}' has lost its stamp row (catalogue_stamp is empty).");
        }

        return new CatalogueStamp(reader.GetString(0), reader.GetInt64(1));
    }

    /// <summary>Number of tracks in the catalogue.</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM tracks;";
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The track with this track id, or null.</summary>
    public async Task<CatalogueEntry?> FindAsync(string trackId, CancellationToken cancellationToken = default)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {TrackColumns} FROM tracks WHERE track_id = $track_id;";
        command.Parameters.AddWithValue("$track_id", trackId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEntry(reader) : null;
    }

    /// <summary>Every stored version of one song (<see cref="SongKey"/>), in row id order, through the song index.</summary>
    public async Task<IReadOnlyList<CatalogueEntry>> FindSongVersionsAsync(string songId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(songId);
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {TrackColumns} FROM tracks WHERE song_id = $song_id ORDER BY id;";
        command.Parameters.AddWithValue("$song_id", songId);
        var versions = new List<CatalogueEntry>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(ReadEntry(reader));
        }

        return versions;
    }

    /// <summary>The tracks with these row ids; ids not in the catalogue are simply absent from the result.</summary>
    public async Task<IReadOnlyDictionary<long, Track>> GetManyAsync(
        IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var result = new Dictionary<long, Track>(ids.Count);
        if (ids.Count == 0)
        {
            return result;
        }

        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        var names = new StringBuilder();
        var n = 0;
        foreach (var id in ids)
        {
            var name = "$p" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            names.Append(n++ == 0 ? "" : ", ").Append(name);
            command.Parameters.AddWithValue(name, id);
        }

        command.CommandText = $"SELECT {TrackColumns} FROM tracks WHERE id IN ({names});";
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var entry = ReadEntry(reader);
            result[entry.Id] = entry.Track;
        }

        return result;
    }

    /// <summary>Streams every track in row id order (the order tracks first entered the catalogue).</summary>
    public async IAsyncEnumerable<CatalogueEntry> ReadAllAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {TrackColumns} FROM tracks ORDER BY id;";
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ReadEntry(reader);
        }
    }

    /// <summary>Stores (replacing) the latent vectors of these rows under one model version, in one transaction.</summary>
    /// <param name="modelVersion">The model that produced the vectors.</param>
    /// <param name="rowIds">Catalogue row ids.</param>
    /// <param name="vectors">Row-major, <paramref name="rowIds"/>.Count × <paramref name="dimension"/>.</param>
    /// <param name="dimension">Latent size.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    public async Task SaveEmbeddingsAsync(
        long modelVersion, IReadOnlyList<long> rowIds, ReadOnlyMemory<float> vectors, int dimension,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rowIds);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (vectors.Length != rowIds.Count * dimension)
        {
            throw new ArgumentException($"expected {rowIds.Count * dimension} values, got {vectors.Length}", nameof(vectors));
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = OpenConnection();
            using var transaction = connection.BeginTransaction();
            InsertEmbeddings(connection, transaction, modelVersion, rowIds, vectors, dimension, cancellationToken);
            transaction.Commit();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Loads every stored vector of one model version, for rebuilding the index at start-up.</summary>
    public async Task<StoredEmbeddings> LoadEmbeddingsAsync(
        long modelVersion, int dimension, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT track_rowid, vector FROM embeddings WHERE model_version = $version ORDER BY track_rowid;";
        command.Parameters.AddWithValue("$version", modelVersion);
        var ids = new List<long>();
        var values = new List<float>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var blob = (byte[])reader.GetValue(1);
            if (blob.Length != dimension * sizeof(float))
            {
                throw new CatalogueUnavailableException(
                    $"Stored vector of row {reader.GetInt64(0)} under model {modelVersion} has {blob.Length} bytes, " +
                    $"expected {dimension * sizeof(float)}.");
            }

            ids.Add(reader.GetInt64(0));
            values.AddRange(MemoryMarshal.Cast<byte, float>(blob));
        }

        return new StoredEmbeddings([.. ids], [.. values], dimension);
    }

    /// <summary>Deletes the vectors of every model version other than <paramref name="keepVersion"/>.</summary>
    public async Task<int> DeleteEmbeddingsExceptAsync(long keepVersion, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = OpenConnection();
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM embeddings WHERE model_version <> $version;";
            command.Parameters.AddWithValue("$version", keepVersion);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Tracks whose title or artist names hold, for every one of <paramref name="words"/>, a word starting with it
    /// (case-insensitive, accents ignored): best text match first (title words weigh twice artist words), then
    /// popularity, then track id. The words are plain text; how they become an index query stays in here, so another
    /// catalogue backend can answer the same question its own way.
    /// </summary>
    /// <param name="words">Runs of letters and digits, at least one.</param>
    /// <param name="limit">The most tracks to return, at least 1.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<TrackSearchResult> SearchAsync(
        IReadOnlyList<string> words, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentOutOfRangeException.ThrowIfLessThan(words.Count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        // Each word is an FTS5 string (quotes doubled), so nothing in it is query syntax; `*` makes it a prefix.
        var match = string.Join(" AND ", words.Select(w => "\"" + w.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"*"));
        command.CommandText =
            $"SELECT {string.Join(", ", LeadingColumns.Concat(FeatureSchema.Names).Select(c => "t." + c))} " +
            "FROM track_search JOIN tracks t ON t.id = track_search.rowid " +
            "WHERE track_search MATCH $match " +
            "ORDER BY bm25(track_search, 2.0, 1.0), t.popularity DESC, t.track_id LIMIT $limit;";
        command.Parameters.AddWithValue("$match", "{name artists}: (" + match + ")");
        command.Parameters.AddWithValue("$limit", limit + 1);
        var tracks = new List<Track>(limit + 1);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tracks.Add(ReadEntry(reader).Track);
        }

        var truncated = tracks.Count > limit;
        return new TrackSearchResult(truncated ? tracks.GetRange(0, limit) : tracks, truncated);
    }

    /// <summary>Stores (replacing) the sonic-map positions of these rows under one model version, in one transaction.</summary>
    public async Task SaveMapPositionsAsync(
        long modelVersion, IReadOnlyList<long> rowIds, ReadOnlyMemory<float> x, ReadOnlyMemory<float> y,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rowIds);
        if (x.Length != rowIds.Count || y.Length != rowIds.Count)
        {
            throw new ArgumentException($"{rowIds.Count} row ids, {x.Length} x and {y.Length} y values do not line up.");
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = OpenConnection();
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText =
                "INSERT OR REPLACE INTO map_positions (model_version, track_rowid, x, y) VALUES ($version, $rowid, $x, $y);";
            command.Parameters.AddWithValue("$version", modelVersion);
            var rowId = command.Parameters.Add("$rowid", SqliteType.Integer);
            var xValue = command.Parameters.Add("$x", SqliteType.Real);
            var yValue = command.Parameters.Add("$y", SqliteType.Real);
            for (var i = 0; i < rowIds.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                rowId.Value = rowIds[i];
                xValue.Value = (double)x.Span[i];
                yValue.Value = (double)y.Span[i];
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Loads every stored sonic-map position of one model version, in row id order.</summary>
    public async Task<StoredMapPositions> LoadMapPositionsAsync(long modelVersion, CancellationToken cancellationToken = default)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT track_rowid, x, y FROM map_positions WHERE model_version = $version ORDER BY track_rowid;";
        command.Parameters.AddWithValue("$version", modelVersion);
        var ids = new List<long>();
        var xs = new List<float>();
        var ys = new List<float>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetInt64(0));
            xs.Add((float)reader.GetDouble(1));
            ys.Add((float)reader.GetDouble(2));
        }

        return new StoredMapPositions([.. ids], [.. xs], [.. ys]);
    }

    /// <summary>Deletes the sonic-map positions of every model version other than <paramref name="keepVersion"/>.</summary>
    public async Task<int> DeleteMapPositionsExceptAsync(long keepVersion, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = OpenConnection();
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM map_positions WHERE model_version <> $version;";
            command.Parameters.AddWithValue("$version", keepVersion);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Runs SQLite's integrity check; returns "ok" for a sound file.</summary>
    public string CheckIntegrity()
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        _writeGate.Dispose();
        // Pooled connections keep the file open; release them so the data directory can be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Per-connection settings: FULL syncs the WAL at every commit (durable across power loss and OS crashes).
        Execute(connection, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void InsertEmbeddings(
        SqliteConnection connection, SqliteTransaction transaction, long modelVersion, IReadOnlyList<long> rowIds,
        ReadOnlyMemory<float> vectors, int dimension, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "INSERT OR REPLACE INTO embeddings (model_version, track_rowid, vector) VALUES ($version, $rowid, $vector);";
        command.Parameters.AddWithValue("$version", modelVersion);
        var rowId = command.Parameters.Add("$rowid", SqliteType.Integer);
        var vector = command.Parameters.Add("$vector", SqliteType.Blob);
        for (var i = 0; i < rowIds.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rowId.Value = rowIds[i];
            vector.Value = MemoryMarshal.AsBytes(vectors.Span.Slice(i * dimension, dimension)).ToArray();
            command.ExecuteNonQuery();
        }
    }

    private static CatalogueEntry ReadEntry(SqliteDataReader reader)
    {
        var features = new double[FeatureSchema.Count];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = reader.GetDouble(LeadingColumns.Length + i);
        }

        var track = new Track(
            TrackId: reader.GetString(1),
            Name: reader.GetString(2),
            Artists: JsonSerializer.Deserialize<string[]>(reader.GetString(3)) ?? [],
            Album: reader.GetString(4),
            Genre: reader.GetString(5),
            Popularity: reader.GetInt32(6),
            Explicit: reader.GetInt64(7) != 0,
            DurationMs: reader.GetInt64(8),
            Features: features);
        return new CatalogueEntry(reader.GetInt64(0), track, reader.GetString(9));
    }
}
