using System.Runtime.InteropServices;

namespace MusicDna.Index.Interop;

/// <summary>The C surface of native/musicdna_faiss.cpp. Every call returning a status leaves a message for
/// <see cref="LastError"/> on failure; no C++ exception crosses it.</summary>
internal static unsafe partial class NativeMethods
{
    // Probed as libmusicdna_faiss.so beside the assemblies, where the build copies it.
    private const string Library = "musicdna_faiss";

    /// <summary>Thread-local, owned by the shim and valid until the next call on this thread, so it is
    /// returned as a raw pointer: a string marshaller would try to free it.</summary>
    [LibraryImport(Library, EntryPoint = "mdx_last_error")]
    private static partial byte* LastErrorPointer();

    [LibraryImport(Library, EntryPoint = "mdx_set_threads")]
    internal static partial NativeStatus SetThreads(int threads);

    [LibraryImport(Library, EntryPoint = "mdx_flat_ip_create")]
    internal static partial NativeStatus FlatIpCreate(int dimension, out IndexHandle index);

    [LibraryImport(Library, EntryPoint = "mdx_ivf_flat_ip_create")]
    internal static partial NativeStatus IvfFlatIpCreate(int dimension, long lists, long probe, out IndexHandle index);

    [LibraryImport(Library, EntryPoint = "mdx_index_free")]
    internal static partial void IndexFree(nint index);

    /// <summary>The number of vectors, or -1 for a null index.</summary>
    [LibraryImport(Library, EntryPoint = "mdx_index_count")]
    internal static partial long IndexCount(IndexHandle index);

    /// <summary>kind: 0 exact, 1 inverted file; lists and probe are 0 for the exact kind; trained is 0 or 1.</summary>
    [LibraryImport(Library, EntryPoint = "mdx_index_describe")]
    internal static partial NativeStatus IndexDescribe(IndexHandle index, out int kind, out int dimension, out long lists, out long probe, out int trained);

    /// <summary>Returns <see cref="NativeStatus.InvalidState"/> for the exact kind.</summary>
    [LibraryImport(Library, EntryPoint = "mdx_index_set_probe")]
    internal static partial NativeStatus IndexSetProbe(IndexHandle index, long probe);

    /// <summary>A no-op for the exact kind; <see cref="NativeStatus.InvalidState"/> when already trained.</summary>
    [LibraryImport(Library, EntryPoint = "mdx_index_train")]
    internal static partial NativeStatus IndexTrain(IndexHandle index, long n, float* vectors);

    /// <summary>Returns <see cref="NativeStatus.InvalidState"/> for an untrained inverted-file index.</summary>
    [LibraryImport(Library, EntryPoint = "mdx_index_add")]
    internal static partial NativeStatus IndexAdd(IndexHandle index, long n, float* vectors, long* ids);

    [LibraryImport(Library, EntryPoint = "mdx_index_remove")]
    internal static partial NativeStatus IndexRemove(IndexHandle index, long n, long* ids, out long removed);

    /// <summary>Returns <see cref="NativeStatus.NotFound"/> when the id is not in the index.</summary>
    [LibraryImport(Library, EntryPoint = "mdx_index_reconstruct")]
    internal static partial NativeStatus IndexReconstruct(IndexHandle index, long id, float* vector);

    /// <summary>Fills n × k scores and ids, best first; an id of -1 pads a row only when fewer than k vectors exist.
    /// probe &lt;= 0: the index's own depth. noFilter must be <see cref="nint.Zero"/> (the native filter argument; a
    /// SafeHandle parameter cannot be null).</summary>
    [LibraryImport(Library, EntryPoint = "mdx_index_search")]
    internal static partial NativeStatus IndexSearch(IndexHandle index, long n, float* queries, long k, long probe, nint noFilter, float* scores, long* ids);

    /// <summary>As <see cref="IndexSearch"/>, returning only ids the filter holds; -1 pads a row only when fewer
    /// than k of them are found.</summary>
    [LibraryImport(Library, EntryPoint = "mdx_index_search")]
    internal static partial NativeStatus IndexSearchFiltered(IndexHandle index, long n, float* queries, long k, long probe, FilterHandle filter, float* scores, long* ids);

    /// <summary>The exact k best among the filter's ids, looked up one by one.</summary>
    [LibraryImport(Library, EntryPoint = "mdx_index_search_allowed")]
    internal static partial NativeStatus IndexSearchAllowed(IndexHandle index, long n, float* queries, long k, FilterHandle filter, float* scores, long* ids);

    [LibraryImport(Library, EntryPoint = "mdx_index_export")]
    internal static partial NativeStatus IndexExport(IndexHandle index, long capacity, long* ids, float* vectors);

    [LibraryImport(Library, EntryPoint = "mdx_index_write", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NativeStatus IndexWrite(IndexHandle index, string path);

    [LibraryImport(Library, EntryPoint = "mdx_index_read", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NativeStatus IndexRead(string path, out IndexHandle index);

    [LibraryImport(Library, EntryPoint = "mdx_filter_create")]
    internal static partial NativeStatus FilterCreate(long n, long* ids, out FilterHandle filter);

    [LibraryImport(Library, EntryPoint = "mdx_filter_free")]
    internal static partial void FilterFree(nint filter);

    /// <summary>The number of distinct ids, or -1 for a null filter.</summary>
    [LibraryImport(Library, EntryPoint = "mdx_filter_count")]
    internal static partial long FilterCount(FilterHandle filter);

    internal static string LastError() =>
        Marshal.PtrToStringUTF8((nint)LastErrorPointer()) is { Length: > 0 } message ? message : "no message from the FAISS shim";

    /// <summary>Throws <see cref="FaissException"/> with the shim's message for any status but Ok.</summary>
    internal static void ThrowIfFailed(NativeStatus status)
    {
        if (status != NativeStatus.Ok)
        {
            throw Failure(status);
        }
    }

    /// <summary>The exception for a failed call; build it before any other shim call on this thread.</summary>
    internal static FaissException Failure(NativeStatus status) => new(status, LastError());
}
