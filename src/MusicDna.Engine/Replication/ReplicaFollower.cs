using Microsoft.Extensions.Logging;
using MusicDna.Catalogue;
using MusicDna.Core.Errors;
using MusicDna.Engine.Snapshots;
using MusicDna.Model;

namespace MusicDna.Engine.Replication;

/// <summary>
/// Keeps this replica's serving snapshot in step with a shared catalogue: it remembers the position of the last
/// change it applied, wakes on the database's notification (or every <see cref="PollInterval"/>, in case one was
/// missed), reads every change after that position and hands it to the <see cref="ServingPublisher"/>; a newer model
/// published by another replica is loaded and swapped in. While the database is unreachable the replica serves from
/// memory and retries with a growing delay; when it is back, the same read from the remembered position catches up,
/// so nothing is reloaded whole. Once a newer model serves (published here or by another replica), the saved indexes
/// of older versions are deleted from this replica's folder.
/// </summary>
public sealed class ReplicaFollower(
    ICatalogueChangeFeed feed, ServingPublisher publisher, IModelStore modelStore, EngineCounters counters, ILogger<ReplicaFollower> logger)
{
    /// <summary>Longest wait between two reads when no notification comes.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Tracks read per round trip while catching up.</summary>
    public const int MaxTracksPerRead = 10_000;

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetryDelay = TimeSpan.FromSeconds(2);

    private long _position;

    // The served version whose older saved indexes were last removed.
    private long _indexesRemovedBelow;

    /// <summary>The position of the last change applied.</summary>
    public long Position => Interlocked.Read(ref _position);

    /// <summary>
    /// Start-up: notes the feed's position, then loads the newest model with the whole catalogue, so every change
    /// committed during the load is applied afterwards (again, harmlessly, when the load already saw it).
    /// </summary>
    /// <remarks>When the tracks were read from a table this replica saved at an older position, the changes after that
    /// position are applied before this returns, so the replica serves nothing older than the catalogue at its start.</remarks>
    public async Task<long> LoadAsync(CancellationToken cancellationToken)
    {
        var position = await feed.PositionAsync(cancellationToken).ConfigureAwait(false);
        var loaded = await publisher.LoadLatestAsync(canReplay: true, cancellationToken).ConfigureAwait(false);
        var from = loaded.ReplayFrom is { } saved ? Math.Min(saved, position) : position;
        Interlocked.Exchange(ref _position, from);
        EngineLog.FollowingFrom(logger, from);
        if (from < position)
        {
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        }

        RemoveOlderIndexes();
        return loaded.Version;
    }

    /// <summary>Follows the feed until <paramref name="cancellationToken"/> is cancelled; never throws otherwise.</summary>
    public async Task FollowAsync(CancellationToken cancellationToken)
    {
        var delay = FirstRetryDelay;
        var paused = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await CatchUpAsync(cancellationToken).ConfigureAwait(false);
                RemoveOlderIndexes();
                if (paused)
                {
                    paused = false;
                    EngineLog.FollowResumed(logger, Position);
                }

                delay = FirstRetryDelay;
                await feed.WaitAsync(Position, PollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database is down or restarting (or a read failed): keep serving what is in memory.
                paused = true;
                EngineLog.FollowPaused(logger, e is UnavailableException ? e.Message : $"{e.GetType().Name}: {e.Message}", delay);
                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetryDelay.Ticks));
            }
        }
    }

    /// <summary>
    /// Deletes the saved indexes of versions older than the one serving, once per served version. Safe beside a load:
    /// a model is built (and its index saved) only under the publisher's gate, for a version newer than the one then
    /// serving, and the serving version only grows, so every folder being written is newer than any version read here.
    /// </summary>
    internal void RemoveOlderIndexes()
    {
        var serving = publisher.ServingVersion;
        if (serving <= _indexesRemovedBelow)
        {
            return;
        }

        _indexesRemovedBelow = serving;
        try
        {
            var removed = modelStore.RemoveIndexesOlderThan(serving);
            if (removed.Count > 0)
            {
                EngineLog.OldIndexesRemoved(logger, string.Join(", ", removed), serving);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            EngineLog.OldIndexesNotRemoved(logger, serving, e);
        }
    }

    /// <summary>Reads and applies every change after <see cref="Position"/>.</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var serving = publisher.ServingVersion;
            var changes = await feed.ReadAsync(Position, serving, MaxTracksPerRead, cancellationToken).ConfigureAwait(false);
            if (changes.NewestModelVersion > serving)
            {
                // A whole new snapshot: everything up to the position noted before it is read is in it.
                EngineLog.NewerModelSeen(logger, changes.NewestModelVersion);
                var position = await feed.PositionAsync(cancellationToken).ConfigureAwait(false);
                await publisher.LoadLatestAsync(cancellationToken).ConfigureAwait(false);
                Interlocked.Exchange(ref _position, Math.Max(Position, position));
                continue;
            }

            if (changes.Upserted.Count > 0 || changes.DeletedRowIds.Count > 0)
            {
                var changed = await publisher.ApplyChangesAsync(changes, cancellationToken).ConfigureAwait(false);
                counters.Applied(changed);
                EngineLog.ChangesApplied(logger, changes.Position, changed);
            }

            Interlocked.Exchange(ref _position, Math.Max(Position, changes.Position));
            if (!changes.More)
            {
                return;
            }
        }
    }
}
