using MusicDna.Catalogue;
using Npgsql;

namespace MusicDna.PostgreSql;

/// <summary>
/// The cluster-wide training lock: a session-level advisory lock on a connection of its own, held for the whole run.
/// If the database restarts mid-run the lock is lost with the session; publication stays safe (versions are taken
/// under the change-writer lock), so at worst two runs publish one after the other.
/// </summary>
public sealed class PostgresTrainingLock(PostgresDatabase database) : ITrainingLock
{
    public async Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken = default)
    {
        NpgsqlConnection? connection = null;
        try
        {
            connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({AdvisoryLocks.Class}, {AdvisoryLocks.Training});", connection);
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                var held = new Held(connection);
                connection = null;
                return held;
            }

            return null;
        }
        catch (Exception e) when (PostgresFailure.IsUnavailable(e))
        {
            throw PostgresFailure.Unavailable(e);
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Unlocks on the session, then closes it. Closing alone would release the lock only when the server's backend
    /// has exited, some time after the client returns, so a replica asking at once could still find it held.
    /// </summary>
    private sealed class Held(NpgsqlConnection connection) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            try
            {
                await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({AdvisoryLocks.Class}, {AdvisoryLocks.Training});", connection);
                await unlock.ExecuteScalarAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (PostgresFailure.IsUnavailable(e))
            {
                // The session is gone, and its lock with it.
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
