using System.Buffers;
using MusicDna.Index.Interop;

namespace MusicDna.Index;

/// <summary>
/// A cosine-similarity index over vectors keyed by long ids, of either kind (<see cref="VectorIndexKind"/>): exact
/// (FAISS IndexIDMap2 over IndexFlatIP) or an inverted file (FAISS IndexIVFFlat with a hashtable id map), behind one
/// API. Callers pass raw vectors: they are L2-normalised here on the way in, queries included, so the inner product
/// FAISS computes is the cosine. A zero vector stays zero and scores 0 against everything.
/// </summary>
/// <remarks>
/// Every search returns min(k, <see cref="Count"/>) hits (with a filter: min(k, allowed vectors present)), whatever
/// the kind: an inverted-file search that meets fewer than k vectors in its probed lists goes on to the next-nearest
/// lists. An upserted vector is searchable as soon as Upsert returns, a removed one is never returned after Remove
/// returns; both change the index in place (no rebuild).
/// Thread-safe. Searches, lookups, counts, exports and saves run concurrently; Train, Upsert, Remove, a probe change
/// and Dispose run alone. FAISS's searches only read the stored arrays, but add and remove grow or compact them and
/// their id maps, which would pull memory from under a concurrent reader.
/// </remarks>
public sealed class VectorIndex : IVectorIndex
{
    private const long ReservedId = -1;

    private readonly IndexHandle _handle;

    // Never disposed: a caller racing Dispose may still be entering it, and disposing it then would throw
    // SynchronizationLockException at them (or at Dispose); its wait handles are finalizable.
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

    private FilterPolicy _filterPolicy = FilterPolicy.Default;
    private long _probe;
    private bool _trained;
    private bool _disposed;

    /// <summary>An empty exact index.</summary>
    public VectorIndex(int dimension)
        : this(CreateExactHandle(dimension))
    {
    }

    private VectorIndex(IndexHandle handle)
    {
        _handle = handle;
        NativeMethods.ThrowIfFailed(
            NativeMethods.IndexDescribe(handle, out var kind, out var dimension, out var lists, out var probe, out var trained));
        Kind = (VectorIndexKind)kind;
        Dimension = dimension;
        Lists = checked((int)lists);
        _probe = probe;
        _trained = trained != 0;
    }

    public int Dimension { get; }

    public VectorIndexKind Kind { get; }

    /// <summary>The inverted lists of an <see cref="VectorIndexKind.InvertedFile"/> index; 0 for the exact kind.</summary>
    public int Lists { get; }

    /// <summary>False for an inverted-file index until <see cref="Train"/>; always true for the exact kind.</summary>
    public bool IsTrained
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                ThrowIfDisposed();
                return _trained;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>
    /// The lists an inverted-file search visits by default (saved with the index); 0 for the exact kind, which
    /// refuses a change. <see cref="SearchOptions.Probe"/> overrides it per search.
    /// </summary>
    public int Probe
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                ThrowIfDisposed();
                return (int)_probe;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }

        set
        {
            if (Kind == VectorIndexKind.Exact)
            {
                throw new InvalidOperationException("An exact index has no probe depth.");
            }

            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Lists);
            _lock.EnterWriteLock();
            try
            {
                ThrowIfDisposed();
                NativeMethods.ThrowIfFailed(NativeMethods.IndexSetProbe(_handle, value));
                _probe = value;
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }
    }

    /// <summary>How <see cref="FilterStrategy.Auto"/> runs a filtered search on this index.</summary>
    public FilterPolicy FilterPolicy
    {
        get => Volatile.Read(ref _filterPolicy);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            Volatile.Write(ref _filterPolicy, value);
        }
    }

    public long Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                ThrowIfDisposed();
                return NativeMethods.IndexCount(_handle);
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>An empty inverted-file index of <paramref name="lists"/> lists that visits <paramref name="probe"/>
    /// of them per search; <see cref="Train"/> it on a sample before the first <see cref="Upsert"/>.
    /// <see cref="VectorIndexFactory"/> picks both by the catalogue's size.</summary>
    public static VectorIndex CreateInvertedFile(int dimension, int lists, int probe)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(lists, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lists, VectorIndexOptions.MaxLists);
        ArgumentOutOfRangeException.ThrowIfLessThan(probe, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probe, lists);
        return new VectorIndex(CreateHandle(NativeMethods.IvfFlatIpCreate(dimension, lists, probe, out var handle), handle));
    }

    /// <summary>Reads an index written by <see cref="Save"/>, of either kind, with its vectors, ids and probe depth.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="FaissException">The file is not a readable FAISS index, or not of a kind MusicDna writes.</exception>
    public static VectorIndex Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException("No index file at the path given.", fullPath);
        }

        return new VectorIndex(CreateHandle(NativeMethods.IndexRead(fullPath, out var handle), handle));
    }

    /// <summary>
    /// Sets the number of OpenMP threads FAISS uses for every later call, from any thread. Concurrent requests
    /// each running a multi-threaded search fight over the cores (measured: slower than one thread per search),
    /// so a server usually wants 1 and lets its own request concurrency use the cores.
    /// </summary>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        NativeMethods.ThrowIfFailed(NativeMethods.SetThreads(threads));
    }

    /// <summary>
    /// Trains an inverted-file index's centroids (spherical k-means) on the row-major <paramref name="sample"/>,
    /// normalised here like every vector; at least one row per list, and docs/index.md says how many make good
    /// lists. A no-op for the exact kind.
    /// </summary>
    /// <exception cref="InvalidOperationException">The index is already trained.</exception>
    public unsafe void Train(ReadOnlySpan<float> sample)
    {
        if (sample.Length % Dimension != 0)
        {
            throw new ArgumentException($"{sample.Length} values are not whole rows of dimension {Dimension}.", nameof(sample));
        }

        ThrowIfNotFinite(sample, nameof(sample));
        var rows = sample.Length / Dimension;
        if (Kind == VectorIndexKind.InvertedFile && rows < Lists)
        {
            throw new ArgumentException($"Training {Lists} lists needs at least {Lists} rows, got {rows}.", nameof(sample));
        }

        var normalised = sample.ToArray();
        VectorMath.NormalizeRows(normalised, Dimension);
        _lock.EnterWriteLock();
        try
        {
            ThrowIfDisposed();
            if (Kind == VectorIndexKind.Exact)
            {
                return;
            }

            if (_trained)
            {
                throw new InvalidOperationException("The inverted-file index is already trained.");
            }

            fixed (float* samplePointer = normalised)
            {
                NativeMethods.ThrowIfFailed(NativeMethods.IndexTrain(_handle, rows, samplePointer));
            }

            _trained = true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Adds or replaces vectors: <paramref name="vectors"/> is row-major, one row of <see cref="Dimension"/> per id.
    /// An id given twice in one call keeps its last row. Any long id but -1.
    /// </summary>
    /// <exception cref="InvalidOperationException">An inverted-file index that is not trained yet.</exception>
    public void Upsert(ReadOnlySpan<long> ids, ReadOnlySpan<float> vectors)
    {
        if ((long)ids.Length * Dimension != vectors.Length)
        {
            throw new ArgumentException(
                $"{vectors.Length} values do not make {ids.Length} rows of dimension {Dimension}.", nameof(vectors));
        }

        ThrowIfNotFinite(vectors, nameof(vectors));
        if (ids.Contains(ReservedId))
        {
            throw new ArgumentException("Id -1 is reserved: FAISS marks a missing result with it.", nameof(ids));
        }

        var rows = LastRowPerId(ids);
        var idBuffer = ArrayPool<long>.Shared.Rent(rows.Length);
        var vectorBuffer = ArrayPool<float>.Shared.Rent(rows.Length * Dimension);
        try
        {
            for (var i = 0; i < rows.Length; i++)
            {
                idBuffer[i] = ids[rows[i]];
                var row = vectorBuffer.AsSpan(i * Dimension, Dimension);
                vectors.Slice(rows[i] * Dimension, Dimension).CopyTo(row);
                VectorMath.Normalize(row);
            }

            UpsertExclusive(idBuffer, vectorBuffer, rows.Length);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(idBuffer);
            ArrayPool<float>.Shared.Return(vectorBuffer);
        }
    }

    /// <summary>Removes the ids that are present and returns how many were.</summary>
    public int Remove(ReadOnlySpan<long> ids)
    {
        _lock.EnterWriteLock();
        try
        {
            ThrowIfDisposed();
            return checked((int)RemoveUnderLock(ids));
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Copies the stored (normalised) vector of <paramref name="id"/>; false, with the destination cleared,
    /// when the id is not in the index.</summary>
    public unsafe bool TryGetVector(long id, Span<float> normalised)
    {
        ThrowIfWrongDimension(normalised.Length, nameof(normalised));
        NativeStatus status;
        _lock.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            fixed (float* destination = normalised)
            {
                status = NativeMethods.IndexReconstruct(_handle, id, destination);
            }

            if (status is not (NativeStatus.Ok or NativeStatus.NotFound))
            {
                throw NativeMethods.Failure(status);
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        if (status == NativeStatus.NotFound)
        {
            normalised.Clear();
            return false;
        }

        return true;
    }

    /// <summary>The <paramref name="k"/> nearest ids by cosine similarity, best first; fewer only when the index holds
    /// fewer than <paramref name="k"/>.</summary>
    public IReadOnlyList<SearchHit> Search(ReadOnlySpan<float> query, int k) => Search(query, k, SearchOptions.Default);

    /// <inheritdoc cref="Search(ReadOnlySpan{float}, int)"/>
    public IReadOnlyList<SearchHit> Search(ReadOnlySpan<float> query, int k, SearchOptions options)
    {
        ThrowIfWrongDimension(query.Length, nameof(query));
        return SearchValidated(query, 1, k, null, options)[0];
    }

    /// <summary>The <paramref name="k"/> nearest ids that <paramref name="filter"/> allows, best first; fewer only
    /// when fewer than <paramref name="k"/> allowed ids are in the index.</summary>
    public IReadOnlyList<SearchHit> Search(ReadOnlySpan<float> query, int k, IdFilter filter, SearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ThrowIfWrongDimension(query.Length, nameof(query));
        return SearchValidated(query, 1, k, filter, options ?? SearchOptions.Default)[0];
    }

    /// <summary>One <see cref="Search(ReadOnlySpan{float}, int)"/> per row of the row-major
    /// <paramref name="queries"/>, in one native call (FAISS answers batches faster per query).</summary>
    public IReadOnlyList<IReadOnlyList<SearchHit>> SearchMany(ReadOnlySpan<float> queries, int k) =>
        SearchMany(queries, k, SearchOptions.Default);

    /// <inheritdoc cref="SearchMany(ReadOnlySpan{float}, int)"/>
    public IReadOnlyList<IReadOnlyList<SearchHit>> SearchMany(ReadOnlySpan<float> queries, int k, SearchOptions options) =>
        SearchValidated(queries, RowCount(queries), k, null, options);

    /// <summary>One filtered <see cref="Search(ReadOnlySpan{float}, int, IdFilter, SearchOptions)"/> per row of the
    /// row-major <paramref name="queries"/>, in one native call.</summary>
    public IReadOnlyList<IReadOnlyList<SearchHit>> SearchMany(ReadOnlySpan<float> queries, int k, IdFilter filter, SearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return SearchValidated(queries, RowCount(queries), k, filter, options ?? SearchOptions.Default);
    }

    /// <summary>
    /// Writes the index (kind, vectors, ids, centroids, probe depth) to <paramref name="path"/>, replacing any file
    /// there only once the new one is complete. Searches go on meanwhile; writers wait.
    /// </summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath);
        if (directory is null || !Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException("The directory of the index file does not exist.");
        }

        var temporary = $"{fullPath}.{Guid.NewGuid():N}.tmp";
        try
        {
            _lock.EnterReadLock();
            try
            {
                ThrowIfDisposed();
                NativeMethods.ThrowIfFailed(NativeMethods.IndexWrite(_handle, temporary));
            }
            finally
            {
                _lock.ExitReadLock();
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>A copy of every id and its stored (normalised) vector, in the index's own order.</summary>
    public unsafe StoredVectors Export()
    {
        _lock.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            var count = checked((int)NativeMethods.IndexCount(_handle));
            var ids = new long[count];
            var vectors = new float[checked(count * Dimension)];
            fixed (long* idPointer = ids)
            fixed (float* vectorPointer = vectors)
            {
                NativeMethods.ThrowIfFailed(NativeMethods.IndexExport(_handle, count, idPointer, vectorPointer));
            }

            return new StoredVectors(ids, vectors, Dimension);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose()
    {
        // The write lock waits for calls in flight, so the native index is never freed under one.
        _lock.EnterWriteLock();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _handle.Dispose();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private static IndexHandle CreateExactHandle(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        return CreateHandle(NativeMethods.FlatIpCreate(dimension, out var handle), handle);
    }

    private static IndexHandle CreateHandle(NativeStatus status, IndexHandle handle)
    {
        if (status != NativeStatus.Ok)
        {
            var failure = NativeMethods.Failure(status);
            handle.Dispose();
            throw failure;
        }

        return handle;
    }

    private int RowCount(ReadOnlySpan<float> queries)
    {
        if (queries.Length % Dimension != 0)
        {
            throw new ArgumentException(
                $"{queries.Length} values are not whole rows of dimension {Dimension}.", nameof(queries));
        }

        return queries.Length / Dimension;
    }

    private unsafe SearchHit[][] SearchValidated(ReadOnlySpan<float> queries, int queryCount, int k, IdFilter? filter, SearchOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ThrowIfNotFinite(queries, nameof(queries));

        var normalised = ArrayPool<float>.Shared.Rent(queries.Length);
        float[]? scores = null;
        long[]? labels = null;
        try
        {
            queries.CopyTo(normalised);
            VectorMath.NormalizeRows(normalised.AsSpan(0, queries.Length), Dimension);

            int width;
            _lock.EnterReadLock();
            try
            {
                ThrowIfDisposed();

                // FAISS pads rows past the count with -1 ids; asking for no more than can be found keeps a huge k
                // from sizing the result heaps.
                var count = NativeMethods.IndexCount(_handle);
                width = (int)Math.Min(k, filter is null ? count : Math.Min(count, filter.Count));
                if (width == 0 || queryCount == 0)
                {
                    return EmptyResults(queryCount);
                }

                if (!_trained)
                {
                    throw new InvalidOperationException("The inverted-file index is not trained.");
                }

                var resultLength = (long)queryCount * width;
                if (resultLength > Array.MaxLength)
                {
                    throw new ArgumentOutOfRangeException(nameof(k), k, "Too many results for one call; search in smaller batches.");
                }

                scores = ArrayPool<float>.Shared.Rent((int)resultLength);
                labels = ArrayPool<long>.Shared.Rent((int)resultLength);
                fixed (float* queryPointer = normalised)
                fixed (float* scorePointer = scores)
                fixed (long* labelPointer = labels)
                {
                    NativeMethods.ThrowIfFailed(filter is null
                        ? NativeMethods.IndexSearch(_handle, queryCount, queryPointer, width, options.Probe, 0, scorePointer, labelPointer)
                        : SearchFiltered(filter, options, count, queryCount, queryPointer, width, scorePointer, labelPointer));
                }
            }
            finally
            {
                _lock.ExitReadLock();
            }

            return ToHits(scores, labels, queryCount, width);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(normalised);
            if (scores is not null)
            {
                ArrayPool<float>.Shared.Return(scores);
            }

            if (labels is not null)
            {
                ArrayPool<long>.Shared.Return(labels);
            }
        }
    }

    private unsafe NativeStatus SearchFiltered(
        IdFilter filter, SearchOptions options, long count, int queryCount, float* queries, int width, float* scores, long* labels)
    {
        var policy = FilterPolicy;
        var strategy = options.FilterStrategy == FilterStrategy.Auto
            ? policy.Choose(Kind, filter.Count, count)
            : options.FilterStrategy;
        if (strategy == FilterStrategy.ScoreAllowedOnly)
        {
            return NativeMethods.IndexSearchAllowed(_handle, queryCount, queries, width, filter.Handle, scores, labels);
        }

        var probe = options.Probe > 0 || Kind == VectorIndexKind.Exact
            ? options.Probe
            : policy.ProbeFor(_probe, Lists, filter.Count, count);
        return NativeMethods.IndexSearchFiltered(_handle, queryCount, queries, width, probe, filter.Handle, scores, labels);
    }

    private static SearchHit[][] ToHits(float[] scores, long[] labels, int queryCount, int width)
    {
        var results = new SearchHit[queryCount][];
        for (var q = 0; q < queryCount; q++)
        {
            var rowLabels = labels.AsSpan(q * width, width);
            var rowScores = scores.AsSpan(q * width, width);
            var found = rowLabels.IndexOf(-1L);
            var hits = new SearchHit[found < 0 ? width : found];
            for (var i = 0; i < hits.Length; i++)
            {
                hits[i] = new SearchHit(rowLabels[i], rowScores[i]);
            }

            results[q] = hits;
        }

        return results;
    }

    private static SearchHit[][] EmptyResults(int queryCount)
    {
        var results = new SearchHit[queryCount][];
        Array.Fill(results, []);
        return results;
    }

    /// <summary>Indexes of the rows to store: each id's last occurrence, in call order.</summary>
    private static int[] LastRowPerId(ReadOnlySpan<long> ids)
    {
        var lastRow = new Dictionary<long, int>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            lastRow[ids[i]] = i;
        }

        var rows = new int[lastRow.Count];
        var next = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            if (lastRow[ids[i]] == i)
            {
                rows[next++] = i;
            }
        }

        return rows;
    }

    private unsafe void UpsertExclusive(long[] ids, float[] vectors, int count)
    {
        _lock.EnterWriteLock();
        try
        {
            ThrowIfDisposed();
            if (!_trained)
            {
                throw new InvalidOperationException("Train the inverted-file index before adding vectors.");
            }

            // Not transactional: should FAISS fail to grow its arrays after the removal, those ids are gone.
            RemoveUnderLock(ids.AsSpan(0, count));
            fixed (long* idPointer = ids)
            fixed (float* vectorPointer = vectors)
            {
                NativeMethods.ThrowIfFailed(NativeMethods.IndexAdd(_handle, count, vectorPointer, idPointer));
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private unsafe long RemoveUnderLock(ReadOnlySpan<long> ids)
    {
        if (ids.IsEmpty)
        {
            return 0;
        }

        fixed (long* idPointer = ids)
        {
            NativeMethods.ThrowIfFailed(NativeMethods.IndexRemove(_handle, ids.Length, idPointer, out var removed));
            return removed;
        }
    }

    private void ThrowIfWrongDimension(int length, string paramName)
    {
        if (length != Dimension)
        {
            throw new ArgumentException($"Expected {Dimension} values, got {length}.", paramName);
        }
    }

    private static void ThrowIfNotFinite(ReadOnlySpan<float> values, string paramName)
    {
        if (!VectorMath.AllFinite(values))
        {
            throw new ArgumentException("Values must be finite (no NaN or infinity).", paramName);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
