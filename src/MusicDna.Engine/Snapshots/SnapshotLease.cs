namespace MusicDna.Engine.Snapshots;

/// <summary>A reader's hold on a snapshot: the snapshot stays usable until the lease is disposed.</summary>
public sealed class SnapshotLease : IDisposable
{
    private readonly ModelSnapshotHolder.Entry _entry;
    private int _released;

    internal SnapshotLease(ModelSnapshotHolder.Entry entry) => _entry = entry;

    public ModelSnapshot Snapshot => _entry.Snapshot;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _entry.Release();
        }
    }
}
