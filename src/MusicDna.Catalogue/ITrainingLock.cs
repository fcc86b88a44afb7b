namespace MusicDna.Catalogue;

/// <summary>
/// The right to train: one Train runs at a time wherever the catalogue is shared. SQLite's file has one server
/// process (<see cref="InProcessTrainingLock"/>); PostgreSQL replicas take an advisory lock.
/// </summary>
public interface ITrainingLock
{
    /// <summary>The lock, held until the returned handle is disposed; null when another holder has it.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken = default);
}
