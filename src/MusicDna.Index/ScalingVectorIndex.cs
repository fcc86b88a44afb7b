namespace MusicDna.Index;

/// <summary>
/// An index that keeps the kind and size its count calls for (<see cref="VectorIndexOptions"/>) while it takes live
/// changes: when upserts carry it across <see cref="VectorIndexOptions.ApproximateFrom"/>, or grow an inverted file to
/// <see cref="VectorIndexOptions.RebuildGrowth"/> times the count its lists were sized for (or removals shrink it below
/// half the threshold), a replacement is built in the background from a snapshot, the changes made meanwhile are
/// replayed into it, and it is swapped in atomically. No request waits for a build: every change is applied to the
/// serving index at once, so an upserted vector is searchable and a removed one gone as soon as the call returns,
/// before, during and after a rebuild.
/// </summary>
/// <remarks>
/// Thread-safe. Searches run concurrently with each other and with changes (as <see cref="VectorIndex"/> allows);
/// changes run one at a time. A rebuild holds the snapshot, the new index and the serving one at once (about three
/// times one index's memory at its peak); a failed rebuild leaves the serving index as it was and is reported by
/// <see cref="LastRebuildFailure"/>, and the next change tries again.
/// </remarks>
public sealed class ScalingVectorIndex : IVectorIndex
{
    // Readers: every call that touches the serving index. Writer: the swap, for the instant it replaces the reference.
    // Never disposed, for the reason VectorIndex gives.
    private readonly ReaderWriterLockSlim _swap = new(LockRecursionPolicy.NoRecursion);

    // Serialises changes with a rebuild's snapshot and replay, so the replayed changes are exactly those made after
    // the snapshot.
    private readonly Lock _changes = new();
    private readonly VectorIndexOptions _options;
    private readonly Func<Task>? _beforeSwap;
    private VectorIndex _current;
    private long _sizedFor;
    private List<Change>? _pending;
    private Task _rebuild = Task.CompletedTask;
    private Exception? _lastRebuildFailure;
    private bool _disposed;

    /// <summary>Serves <paramref name="initial"/> (taking ownership) and rebuilds by <paramref name="options"/>.</summary>
    public ScalingVectorIndex(VectorIndex initial, VectorIndexOptions? options = null)
        : this(initial, options, beforeSwap: null)
    {
    }

    /// <param name="initial">The index to serve first, now owned by this one.</param>
    /// <param name="options">Kinds, sizes and rebuild factor; null for the defaults.</param>
    /// <param name="beforeSwap">Awaited by a rebuild after it built the new index and before it replays the
    /// pending changes and swaps (tests hold a rebuild there to make changes while it is in flight).</param>
    internal ScalingVectorIndex(VectorIndex initial, VectorIndexOptions? options, Func<Task>? beforeSwap)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _options = options ?? VectorIndexOptions.Default;
        _options.Validate();
        _current = initial;
        _sizedFor = initial.Count;
        _beforeSwap = beforeSwap;
        Dimension = initial.Dimension;
    }

    public int Dimension { get; }

    public VectorIndexKind Kind => Read(index => index.Kind);

    public long Count => Read(index => index.Count);

    /// <summary>The serving index's inverted lists (0 when exact).</summary>
    public int Lists => Read(index => index.Lists);

    /// <summary>The rebuild in flight, or the last one (completed); it never faults (see <see cref="LastRebuildFailure"/>).</summary>
    public Task Rebuilding
    {
        get
        {
            lock (_changes)
            {
                return _rebuild;
            }
        }
    }

    /// <summary>Why the last rebuild failed, or null when it succeeded (or none ran).</summary>
    public Exception? LastRebuildFailure => Volatile.Read(ref _lastRebuildFailure);

    /// <summary>An index of the kind and size <paramref name="ids"/> call for (<see cref="VectorIndexFactory"/>).</summary>
    public static ScalingVectorIndex Create(int dimension, ReadOnlySpan<long> ids, ReadOnlySpan<float> vectors, VectorIndexOptions? options = null) =>
        new(VectorIndexFactory.Create(dimension, ids, vectors, options), options);

    /// <summary>Serves an index file written by <see cref="Save"/> (either kind).</summary>
    public static ScalingVectorIndex Load(string path, VectorIndexOptions? options = null)
    {
        var index = VectorIndex.Load(path);
        try
        {
            index.FilterPolicy = (options ?? VectorIndexOptions.Default).FilterPolicy;
            return new ScalingVectorIndex(index, options);
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    public void Upsert(ReadOnlySpan<long> ids, ReadOnlySpan<float> vectors)
    {
        lock (_changes)
        {
            ThrowIfDisposed();
            var current = _current;
            current.Upsert(ids, vectors);
            _pending?.Add(new Change(ids.ToArray(), vectors.ToArray()));
            StartRebuildIfDue(current);
        }
    }

    public int Remove(ReadOnlySpan<long> ids)
    {
        lock (_changes)
        {
            ThrowIfDisposed();
            var current = _current;
            var removed = current.Remove(ids);
            if (removed > 0)
            {
                _pending?.Add(new Change(ids.ToArray(), null));
            }

            StartRebuildIfDue(current);
            return removed;
        }
    }

    public bool TryGetVector(long id, Span<float> normalised)
    {
        _swap.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            return _current.TryGetVector(id, normalised);
        }
        finally
        {
            _swap.ExitReadLock();
        }
    }

    public IReadOnlyList<SearchHit> Search(ReadOnlySpan<float> query, int k) => Search(query, k, SearchOptions.Default);

    public IReadOnlyList<SearchHit> Search(ReadOnlySpan<float> query, int k, SearchOptions options)
    {
        _swap.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            return _current.Search(query, k, options);
        }
        finally
        {
            _swap.ExitReadLock();
        }
    }

    public IReadOnlyList<SearchHit> Search(ReadOnlySpan<float> query, int k, IdFilter filter, SearchOptions? options = null)
    {
        _swap.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            return _current.Search(query, k, filter, options);
        }
        finally
        {
            _swap.ExitReadLock();
        }
    }

    public IReadOnlyList<IReadOnlyList<SearchHit>> SearchMany(ReadOnlySpan<float> queries, int k) =>
        SearchMany(queries, k, SearchOptions.Default);

    public IReadOnlyList<IReadOnlyList<SearchHit>> SearchMany(ReadOnlySpan<float> queries, int k, SearchOptions options)
    {
        _swap.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            return _current.SearchMany(queries, k, options);
        }
        finally
        {
            _swap.ExitReadLock();
        }
    }

    public IReadOnlyList<IReadOnlyList<SearchHit>> SearchMany(ReadOnlySpan<float> queries, int k, IdFilter filter, SearchOptions? options = null)
    {
        _swap.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            return _current.SearchMany(queries, k, filter, options);
        }
        finally
        {
            _swap.ExitReadLock();
        }
    }

    public void Save(string path) => Read(index =>
    {
        index.Save(path);
        return true;
    });

    /// <summary>Frees the serving index at once; a rebuild in flight frees its result when it finishes.</summary>
    public void Dispose()
    {
        lock (_changes)
        {
            _swap.EnterWriteLock();
            try
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                _current.Dispose();
            }
            finally
            {
                _swap.ExitWriteLock();
            }
        }
    }

    private T Read<T>(Func<VectorIndex, T> read)
    {
        _swap.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            return read(_current);
        }
        finally
        {
            _swap.ExitReadLock();
        }
    }

    /// <summary>Under the change lock: whether the serving index no longer fits its count.</summary>
    private bool RebuildDue(VectorIndex current)
    {
        var count = current.Count;
        if (current.Kind == VectorIndexKind.Exact)
        {
            return _options.KindFor(count) == VectorIndexKind.InvertedFile;
        }

        // Back to exact only well below the threshold, so a catalogue hovering at it does not rebuild back and forth.
        return count < _options.ApproximateFrom / 2
            || (_sizedFor > 0 && count >= _sizedFor * _options.RebuildGrowth)
            || count * _options.RebuildGrowth <= _sizedFor;
    }

    private void StartRebuildIfDue(VectorIndex current)
    {
        if (_pending is not null || !RebuildDue(current))
        {
            return;
        }

        // Snapshot and the start of the change log under the same lock: every later change is logged.
        var snapshot = current.Export();
        _pending = [];
        _rebuild = Task.Run(() => RebuildAsync(snapshot));
    }

    private async Task RebuildAsync(StoredVectors snapshot)
    {
        VectorIndex? next = null;
        try
        {
            next = VectorIndexFactory.Create(Dimension, snapshot.Ids, snapshot.Vectors, _options);
            if (_beforeSwap is not null)
            {
                await _beforeSwap().ConfigureAwait(false);
            }

            VectorIndex retired;
            lock (_changes)
            {
                if (_disposed)
                {
                    _pending = null;
                    return;
                }

                foreach (var change in _pending!)
                {
                    change.ApplyTo(next);
                }

                _swap.EnterWriteLock();
                try
                {
                    retired = _current;
                    _current = next;
                    _sizedFor = snapshot.Count;
                }
                finally
                {
                    _swap.ExitWriteLock();
                }

                next = null;
                _pending = null;
                Volatile.Write(ref _lastRebuildFailure, null);
            }

            // No reader holds the retired index: each one takes it under the swap's read lock.
            retired.Dispose();
        }
        catch (Exception failure)
        {
            lock (_changes)
            {
                _pending = null;
            }

            Volatile.Write(ref _lastRebuildFailure, failure);
        }
        finally
        {
            next?.Dispose();
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>A change made while a rebuild was in flight: an upsert (with its rows) or a removal (no rows).</summary>
    private sealed record Change(long[] Ids, float[]? Vectors)
    {
        public void ApplyTo(VectorIndex index)
        {
            if (Vectors is null)
            {
                index.Remove(Ids);
            }
            else
            {
                index.Upsert(Ids, Vectors);
            }
        }
    }
}
