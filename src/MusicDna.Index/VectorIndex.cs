using System.Buffers;
using MusicDna.Index.Interop;

namespace MusicDna.Index;

/// <summary>
/// An exact cosine-similarity index over vectors keyed by long ids (FAISS IndexIDMap2 over IndexFlatIP).
/// Callers pass raw vectors: they are L2-normalised here on the way in, queries included, so the inner product
/// FAISS computes is the cosine. A zero vector stays zero and scores 0 against everything.
/// </summary>
/// <remarks>
/// Thread-safe. Searches, lookups and counts run concurrently; Upsert, Remove and Dispose run alone. FAISS's flat
/// search only reads the stored arrays, but add and remove grow or compact them and rebuild IndexIDMap2's id maps,
/// which would pull memory from under a concurrent reader.
/// </remarks>
public sealed class VectorIndex : IDisposable
{
    private readonly IndexHandle _handle;

    // Never disposed: a caller racing Dispose may still be entering it, and disposing it then would throw
    // SynchronizationLockException at them (or at Dispose); its wait handles are finalizable.
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

    private bool _disposed;

    public VectorIndex(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        var status = NativeMethods.FlatIpCreate(dimension, out var handle);
        if (status != NativeStatus.Ok)
        {
            var failure = NativeMethods.Failure(status);
            handle.Dispose();
            throw failure;
        }

        _handle = handle;
        Dimension = dimension;
    }

    public int Dimension { get; }

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
    /// Adds or replaces vectors: <paramref name="vectors"/> is row-major, one row of <see cref="Dimension"/> per id.
    /// An id given twice in one call keeps its last row.
    /// </summary>
    public void Upsert(ReadOnlySpan<long> ids, ReadOnlySpan<float> vectors)
    {
        if ((long)ids.Length * Dimension != vectors.Length)
        {
            throw new ArgumentException(
                $"{vectors.Length} values do not make {ids.Length} rows of dimension {Dimension}.", nameof(vectors));
        }

        ThrowIfNotFinite(vectors, nameof(vectors));
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

    /// <summary>The <paramref name="k"/> nearest ids by cosine similarity, best first; fewer when the index holds
    /// fewer than <paramref name="k"/>.</summary>
    public IReadOnlyList<SearchHit> Search(ReadOnlySpan<float> query, int k)
    {
        ThrowIfWrongDimension(query.Length, nameof(query));
        return SearchValidated(query, 1, k)[0];
    }

    /// <summary>One <see cref="Search"/> per row of the row-major <paramref name="queries"/>, in one native call
    /// (FAISS answers batches faster per query).</summary>
    public IReadOnlyList<IReadOnlyList<SearchHit>> SearchMany(ReadOnlySpan<float> queries, int k)
    {
        if (queries.Length % Dimension != 0)
        {
            throw new ArgumentException(
                $"{queries.Length} values are not whole rows of dimension {Dimension}.", nameof(queries));
        }

        return SearchValidated(queries, queries.Length / Dimension, k);
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

    private unsafe SearchHit[][] SearchValidated(ReadOnlySpan<float> queries, int queryCount, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
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

                // FAISS pads rows past the count with -1 ids; asking for no more than the count keeps a huge k
                // from sizing FAISS's result heaps.
                width = (int)Math.Min(k, NativeMethods.IndexCount(_handle));
                if (width == 0 || queryCount == 0)
                {
                    return EmptyResults(queryCount);
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
                    NativeMethods.ThrowIfFailed(
                        NativeMethods.IndexSearch(_handle, queryCount, queryPointer, width, scorePointer, labelPointer));
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
