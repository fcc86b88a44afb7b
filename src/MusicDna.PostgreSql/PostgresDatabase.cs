using Microsoft.Extensions.Logging;
using MusicDna.Catalogue;
using Npgsql;
using Polly;
using Polly.Retry;

namespace MusicDna.PostgreSql;

/// <summary>
/// One PostgreSQL database shared by every replica: its data source (a pooled connection factory), the schema brought
/// up to date once at open, and the retry rule every query runs under. A failure before COMMIT is retried a few
/// times (a pooled connection the server closed on restart fails once, then a fresh one works); a failure once COMMIT
/// was sent is not, since the transaction may have committed; reads are retried whole.
/// </summary>
public sealed partial class PostgresDatabase : IDisposable
{
    /// <summary>The channel every committed change is announced on (payload: its position).</summary>
    public const string ChangeChannel = "musicdna_changes";

    private readonly ResiliencePipeline _retry;

    private PostgresDatabase(NpgsqlDataSource dataSource, string location, string connectionString)
    {
        DataSource = dataSource;
        Location = location;
        ConnectionString = connectionString;
        _retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not CommitOutcomeUnknownException && PostgresFailure.IsUnavailable(e)),
                MaxRetryAttempts = 3,
                Delay = TimeSpan.FromMilliseconds(100),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
    }

    internal NpgsqlDataSource DataSource { get; }

    internal string ConnectionString { get; }

    /// <summary>host:port/database, for logs (never the password).</summary>
    public string Location { get; }

    /// <summary>Whether word search runs on its trigram indexes (false where pg_trgm could not be created: it scans).</summary>
    public bool SearchIndexed { get; private set; }

    /// <summary>
    /// Connects, waiting up to <paramref name="connectTimeout"/> for a database that is still starting, and migrates
    /// the schema (once across replicas starting together). Says on <paramref name="logger"/> when word search has no
    /// index to run on.
    /// </summary>
    /// <exception cref="CatalogueUnavailableException">The database cannot be reached, or its schema is newer than this MusicDna.</exception>
    public static async Task<PostgresDatabase> OpenAsync(
        string connectionString, TimeSpan connectTimeout, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var location = $"{builder.Host}:{builder.Port}/{builder.Database}";
        var database = new PostgresDatabase(NpgsqlDataSource.Create(builder), location, builder.ConnectionString);
        try
        {
            var deadline = DateTime.UtcNow + connectTimeout;
            while (true)
            {
                try
                {
                    database.SearchIndexed = await PostgresSchema.MigrateAsync(database, cancellationToken).ConfigureAwait(false);
                    if (!database.SearchIndexed && logger is not null)
                    {
                        SearchNotIndexed(logger, location);
                    }

                    return database;
                }
                catch (Exception e) when (PostgresFailure.IsUnavailable(e) && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (PostgresFailure.IsUnavailable(e))
        {
            database.Dispose();
            throw new CatalogueUnavailableException(
                $"The PostgreSQL catalogue at {location} cannot be reached ({e.Message.Split('\n', 2)[0].TrimEnd('.')}): check MusicDna:Catalogue:ConnectionString and that the database is up.", e);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>A secret shared by every replica (created once by whichever asks first), e.g. the page-token key.</summary>
    public async Task<byte[]> SharedSecretAsync(string name, byte[] candidate, CancellationToken cancellationToken = default) =>
        await ReadAsync(async (connection, token) =>
        {
            await using (var insert = new NpgsqlCommand("INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING;", connection))
            {
                insert.Parameters.AddWithValue(name);
                insert.Parameters.AddWithValue(candidate);
                await insert.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            }

            await using var read = new NpgsqlCommand("SELECT value FROM secrets WHERE name = $1;", connection);
            read.Parameters.AddWithValue(name);
            return (byte[])(await read.ExecuteScalarAsync(token).ConfigureAwait(false))!;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>Runs an idempotent piece of work on a pooled connection, retried whole on a transient failure.</summary>
    internal async Task<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.ExecuteAsync(async token =>
            {
                await using var connection = await DataSource.OpenConnectionAsync(token).ConfigureAwait(false);
                return await work(connection, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgresFailure.IsUnavailable(e))
        {
            throw PostgresFailure.Unavailable(e);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and commits it (or rolls it back when <paramref name="commitIf"/>
    /// says no). A failure before the commit is retried (nothing was stored); a failure during the commit is reported
    /// as UNAVAILABLE without a retry.
    /// </summary>
    internal async Task<T> WriteAsync<T>(
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken, Func<T, bool>? commitIf = null)
    {
        try
        {
            return await _retry.ExecuteAsync(async token =>
            {
                await using var connection = await DataSource.OpenConnectionAsync(token).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
                var result = await work(connection, transaction, token).ConfigureAwait(false);
                if (commitIf is not null && !commitIf(result))
                {
                    await transaction.RollbackAsync(token).ConfigureAwait(false);
                    return result;
                }

                try
                {
                    await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (PostgresFailure.IsUnavailable(e))
                {
                    throw new CommitOutcomeUnknownException(e);
                }

                return result;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgresFailure.IsUnavailable(e))
        {
            throw PostgresFailure.Unavailable(e);
        }
    }

    /// <summary>
    /// Inside a write transaction: takes the change-writer lock, records a change and announces it at commit. Returns
    /// its position. Call after the slow parts (COPY into staging) so the lock is held briefly.
    /// </summary>
    internal static async Task<long> RecordChangeAsync(NpgsqlConnection connection, string kind, int rows, CancellationToken cancellationToken)
    {
        await LockChangeWritersAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "INSERT INTO changes (seq, kind, rows) VALUES (nextval('change_seq'), $1, $2) RETURNING seq;", connection);
        command.Parameters.AddWithValue(kind);
        command.Parameters.AddWithValue(rows);
        var position = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        await using var notify = new NpgsqlCommand($"SELECT pg_notify('{ChangeChannel}', $1);", connection);
        notify.Parameters.AddWithValue(position.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return position;
    }

    /// <summary>Inside a write transaction: waits for the change-writer lock (released at commit or rollback).</summary>
    internal static async Task LockChangeWritersAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AdvisoryLocks.Class}, {AdvisoryLocks.ChangeWriter});", connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => DataSource.Dispose();

    [LoggerMessage(3001, LogLevel.Warning, "The PostgreSQL catalogue at {Location} has no pg_trgm search indexes (the extension could not be created with this role): SearchTracks scans the tracks table; docs/scale.md says how to add them")]
    private static partial void SearchNotIndexed(ILogger logger, string location);
}
