using System.Globalization;
using Microsoft.Extensions.Logging;
using MusicDna.Catalogue;
using Npgsql;

namespace MusicDna.PostgreSql;

/// <summary>
/// The shared catalogue's changes, read by position from the <c>changes</c> log, with LISTEN/NOTIFY as the wake-up
/// call. Every write transaction takes the change-writer lock before it takes its position and holds it to its commit,
/// so positions become visible in order and "everything after n" is an exact question. Notifications carry no history
/// (one sent while the listener was reconnecting is lost), so they only say "read now"; a poll covers the rest.
/// </summary>
public sealed partial class PostgresChangeFeed(PostgresDatabase database, ILogger<PostgresChangeFeed> logger) : ICatalogueChangeFeed, IAsyncDisposable
{
    private static readonly TimeSpan ListenRetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _listener;
    private long _notified;

    public Task<long> PositionAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("SELECT coalesce(max(seq), 0) FROM changes;", connection);
            return (long)(await command.ExecuteScalarAsync(token).ConfigureAwait(false))!;
        }, cancellationToken);

    public Task<CatalogueChanges> ReadAsync(long after, long modelVersion, int maxTracks, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTracks, 1);
        return database.ReadAsync(async (connection, token) =>
        {
            // One consistent view of the log, the tracks and the models.
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, token).ConfigureAwait(false);
            var (upTo, more) = await ChooseRangeAsync(connection, after, maxTracks, token).ConfigureAwait(false);
            var upserted = new List<ChangedTrack>();
            var deleted = new List<long>();
            if (upTo > after)
            {
                await using (var tracks = new NpgsqlCommand(
                    $"SELECT {Prefixed("t")}, e.vector FROM tracks t " +
                    "LEFT JOIN embeddings e ON e.model_version = $3 AND e.track_rowid = t.id " +
                    "WHERE t.change_seq > $1 AND t.change_seq <= $2 ORDER BY t.id;", connection))
                {
                    tracks.Parameters.AddWithValue(after);
                    tracks.Parameters.AddWithValue(upTo);
                    tracks.Parameters.AddWithValue(modelVersion);
                    await using var reader = await tracks.ExecuteReaderAsync(token).ConfigureAwait(false);
                    var vectorColumn = reader.FieldCount - 1;
                    while (await reader.ReadAsync(token).ConfigureAwait(false))
                    {
                        var vector = reader.IsDBNull(vectorColumn)
                            ? null
                            : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(vectorColumn)).ToArray();
                        upserted.Add(new ChangedTrack(PostgresTrackCatalogue.ReadEntry(reader), vector));
                    }
                }

                await using var gone = new NpgsqlCommand("SELECT id FROM deleted_tracks WHERE change_seq > $1 AND change_seq <= $2;", connection);
                gone.Parameters.AddWithValue(after);
                gone.Parameters.AddWithValue(upTo);
                await using var goneReader = await gone.ExecuteReaderAsync(token).ConfigureAwait(false);
                while (await goneReader.ReadAsync(token).ConfigureAwait(false))
                {
                    deleted.Add(goneReader.GetInt64(0));
                }
            }

            await using var newest = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM models WHERE activated_at IS NOT NULL;", connection);
            var newestModel = (long)(await newest.ExecuteScalarAsync(token).ConfigureAwait(false))!;
            await transaction.CommitAsync(token).ConfigureAwait(false);
            return new CatalogueChanges(Math.Max(after, upTo), modelVersion, upserted, deleted, newestModel, more);
        }, cancellationToken);
    }

    public async Task<bool> WaitAsync(long after, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Task signal;
        lock (_gate)
        {
            _listener ??= Task.Run(() => ListenAsync(_stop.Token), CancellationToken.None);
            if (Interlocked.Read(ref _notified) > after)
            {
                return true;
            }

            signal = _signal.Task;
        }

        var finished = await Task.WhenAny(signal, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return finished == signal;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_listener is not null)
        {
            await _listener.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    /// <summary>The changes from <paramref name="after"/> up to a position that holds about <paramref name="maxTracks"/> tracks (whole changes).</summary>
    private static async Task<(long UpTo, bool More)> ChooseRangeAsync(NpgsqlConnection connection, long after, int maxTracks, CancellationToken cancellationToken)
    {
        const int Window = 1000;
        await using var command = new NpgsqlCommand($"SELECT seq, rows FROM changes WHERE seq > $1 ORDER BY seq LIMIT {Window};", connection);
        command.Parameters.AddWithValue(after);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var upTo = after;
        var rows = 0L;
        var seen = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var changeRows = reader.GetInt32(1);
            if (seen > 0 && rows + changeRows > maxTracks)
            {
                return (upTo, true);
            }

            upTo = reader.GetInt64(0);
            rows += changeRows;
            seen++;
        }

        return (upTo, seen == Window);
    }

    private static string Prefixed(string alias) =>
        string.Join(", ", PostgresTrackCatalogue.TrackColumns.Split(", ").Select(column => $"{alias}.{column}"));

    /// <summary>Holds one connection in LISTEN and wakes waiters on every notification; reconnects after any failure.</summary>
    private async Task ListenAsync(CancellationToken stop)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Pooling = false,
            // A keep-alive query notices a database that went away without closing the connection.
            KeepAlive = 5,
        };
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stop).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    if (long.TryParse(e.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
                    {
                        Notify(position);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresDatabase.ChangeChannel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                }

                // Anything committed while nobody listened is found by the read this wakes.
                Signal();
                while (!stop.IsCancellationRequested)
                {
                    await connection.WaitAsync(stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (PostgresFailure.IsUnavailable(e))
            {
                ListenerLost(logger, e.Message.Split('\n', 2)[0]);
                try
                {
                    await Task.Delay(ListenRetryDelay, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Notify(long position)
    {
        lock (_gate)
        {
            if (position > Interlocked.Read(ref _notified))
            {
                Interlocked.Exchange(ref _notified, position);
            }

            Signal();
        }
    }

    private void Signal()
    {
        lock (_gate)
        {
            var signal = _signal;
            _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            signal.TrySetResult();
        }
    }

    [LoggerMessage(3000, LogLevel.Warning, "Listening for catalogue changes stopped ({Reason}); reconnecting (changes are read by position meanwhile)")]
    private static partial void ListenerLost(ILogger logger, string reason);
}
