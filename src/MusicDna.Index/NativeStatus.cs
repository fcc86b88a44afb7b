namespace MusicDna.Index;

/// <summary>The status codes every <c>mdx_*</c> entry point of the FAISS shim returns (native/musicdna_faiss.cpp).</summary>
public enum NativeStatus
{
    /// <summary>The call succeeded.</summary>
    Ok = 0,

    /// <summary>The shim refused an argument (null pointer, negative count, k &lt; 1); a binding bug, since the managed side validates first.</summary>
    InvalidArgument = 1,

    /// <summary>The id asked for is not in the index.</summary>
    NotFound = 2,

    /// <summary>FAISS could not allocate memory.</summary>
    OutOfMemory = 3,

    /// <summary>FAISS threw a <c>faiss::FaissException</c>; the native message says why.</summary>
    FaissError = 4,

    /// <summary>Any other C++ exception.</summary>
    UnknownError = 5,
}
