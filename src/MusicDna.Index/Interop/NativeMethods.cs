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

    [LibraryImport(Library, EntryPoint = "mdx_index_free")]
    internal static partial void IndexFree(nint index);

    /// <summary>The number of vectors, or -1 for a null index.</summary>
    [LibraryImport(Library, EntryPoint = "mdx_index_count")]
    internal static partial long IndexCount(IndexHandle index);

    [LibraryImport(Library, EntryPoint = "mdx_index_add")]
    internal static partial NativeStatus IndexAdd(IndexHandle index, long n, float* vectors, long* ids);

    [LibraryImport(Library, EntryPoint = "mdx_index_remove")]
    internal static partial NativeStatus IndexRemove(IndexHandle index, long n, long* ids, out long removed);

    /// <summary>Returns <see cref="NativeStatus.NotFound"/> when the id is not in the index.</summary>
    [LibraryImport(Library, EntryPoint = "mdx_index_reconstruct")]
    internal static partial NativeStatus IndexReconstruct(IndexHandle index, long id, float* vector);

    /// <summary>Fills n × k scores and ids, best first; an id of -1 pads a row when k exceeds the count.</summary>
    [LibraryImport(Library, EntryPoint = "mdx_index_search")]
    internal static partial NativeStatus IndexSearch(IndexHandle index, long n, float* queries, long k, float* scores, long* ids);

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
