namespace MusicDna.PostgreSql;

/// <summary>
/// The advisory locks MusicDna takes, as (class, object) pairs under one class of its own, so they cannot collide
/// with another application's locks in the same database.
/// </summary>
internal static class AdvisoryLocks
{
    public const int Class = 0x4D44; // "MD"

    /// <summary>Held (session level) while the schema is migrated: replicas starting together migrate once.</summary>
    public const int Migration = 1;

    /// <summary>
    /// Held (transaction level) by every transaction that takes a change position, from taking it to its commit, so
    /// positions become visible in the order they were taken: a reader that has seen position n has seen all before.
    /// </summary>
    public const int ChangeWriter = 2;

    /// <summary>Held (session level) by the one replica that trains.</summary>
    public const int Training = 3;
}
