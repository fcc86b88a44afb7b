namespace MusicDna.Catalogue;

/// <summary>
/// The catalogue's changes in commit order, for a replica that serves from memory and must follow what other
/// replicas write: every committed write (tracks upserted, tracks deleted, a model published) has a position in one
/// increasing sequence, so a replica that remembers the last position it applied can ask for everything after it,
/// after a missed notification, a reconnect or a restart alike. Only a shared catalogue has one.
/// </summary>
public interface ICatalogueChangeFeed
{
    /// <summary>The position of the newest committed change (0 when there is none).</summary>
    Task<long> PositionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The changes committed after <paramref name="after"/>: tracks as they are now (with their stored vector under
    /// <paramref name="modelVersion"/> where there is one), deleted row ids, and the newest published model. At most
    /// about <paramref name="maxTracks"/> tracks (whole changes only, at least one); <see cref="CatalogueChanges.More"/>
    /// says whether more remain.
    /// </summary>
    Task<CatalogueChanges> ReadAsync(long after, long modelVersion, int maxTracks, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns when a change after <paramref name="after"/> may have been committed (true: a notification came) or
    /// when <paramref name="timeout"/> has passed (false). Notifications carry no history: after either, read.
    /// </summary>
    Task<bool> WaitAsync(long after, TimeSpan timeout, CancellationToken cancellationToken = default);
}
