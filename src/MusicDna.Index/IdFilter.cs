using MusicDna.Index.Interop;

namespace MusicDna.Index;

/// <summary>
/// The ids a filtered search may return, held natively (a bitmap over a dense id range, else a sorted array) so
/// membership costs one load per candidate. Immutable; build it once and share it across searches, threads and
/// indexes. Ids not in the index are allowed and never returned; a filter made mostly of absent ids makes a
/// <see cref="FilterStrategy.SkipDisallowed"/> search visit every list looking for them.
/// </summary>
public sealed class IdFilter : IDisposable
{
    private IdFilter(FilterHandle handle, long count)
    {
        Handle = handle;
        Count = count;
    }

    /// <summary>The number of distinct ids.</summary>
    public long Count { get; }

    internal FilterHandle Handle { get; }

    public static unsafe IdFilter FromIds(ReadOnlySpan<long> ids)
    {
        NativeStatus status;
        FilterHandle handle;
        fixed (long* idPointer = ids)
        {
            status = NativeMethods.FilterCreate(ids.Length, idPointer, out handle);
        }

        if (status != NativeStatus.Ok)
        {
            var failure = NativeMethods.Failure(status);
            handle.Dispose();
            throw failure;
        }

        return new IdFilter(handle, NativeMethods.FilterCount(handle));
    }

    /// <summary>Frees the native set; a search already using it keeps it alive to its end (SafeHandle counting).</summary>
    public void Dispose() => Handle.Dispose();
}
