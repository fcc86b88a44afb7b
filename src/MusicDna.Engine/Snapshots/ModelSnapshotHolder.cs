using MusicDna.Core.Errors;

namespace MusicDna.Engine.Snapshots;

/// <summary>
/// Holds the serving snapshot and swaps in a new one atomically. Each call takes a lease at its start and
/// uses that snapshot to its end, so no reader ever sees half a model; a replaced snapshot is disposed
/// when its last lease is released (reference counting, lock-free on the read path).
/// </summary>
public sealed class ModelSnapshotHolder : IDisposable
{
    private Entry? _current;

    /// <summary>The serving model's version, or 0 when none is published.</summary>
    public long CurrentVersion => Volatile.Read(ref _current)?.Snapshot.Version ?? 0;

    /// <summary>Leases the serving snapshot, or returns null when no model is published yet.</summary>
    public SnapshotLease? TryAcquire()
    {
        while (true)
        {
            var entry = Volatile.Read(ref _current);
            if (entry is null)
            {
                return null;
            }

            if (entry.TryAddReference())
            {
                return new SnapshotLease(entry);
            }

            // The entry was retired between the read and the increment: read the new one.
        }
    }

    /// <summary>Leases the serving snapshot or fails with FAILED_PRECONDITION (reason NO_MODEL).</summary>
    public SnapshotLease Acquire() =>
        TryAcquire() ?? throw new PreconditionFailedException(
            "NO_MODEL", "No model has been trained yet: ingest tracks, then call Train.");

    /// <summary>Makes <paramref name="snapshot"/> the serving one; the previous one retires when its readers finish.</summary>
    public void Publish(ModelSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var previous = Interlocked.Exchange(ref _current, new Entry(snapshot));
        previous?.Release();
    }

    public void Dispose() => Interlocked.Exchange(ref _current, null)?.Release();

    /// <summary>A snapshot with its reference count; the holder owns one reference while it serves it.</summary>
    internal sealed class Entry(ModelSnapshot snapshot)
    {
        private int _references = 1;

        public ModelSnapshot Snapshot { get; } = snapshot;

        public bool TryAddReference()
        {
            var seen = Volatile.Read(ref _references);
            while (seen > 0)
            {
                var previous = Interlocked.CompareExchange(ref _references, seen + 1, seen);
                if (previous == seen)
                {
                    return true;
                }

                seen = previous;
            }

            return false;
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref _references) == 0)
            {
                Snapshot.Dispose();
            }
        }
    }
}
