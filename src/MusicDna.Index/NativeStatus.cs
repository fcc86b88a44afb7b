namespace MusicDna.Index;

/// <summary>The status codes every <c>mdx_*</c> entry point of the FAISS shim returns (native/shim_common.h).</summary>
public enum NativeStatus
{
    /// <summary>The call succeeded.</summary>
    Ok = 0,

    /// <summary>The shim refused an argument (null pointer, negative count, k &lt; 1, a file of another index kind).</summary>
    InvalidArgument = 1,

    /// <summary>The id asked for is not in the index.</summary>
    NotFound = 2,

    /// <summary>FAISS could not allocate memory.</summary>
    OutOfMemory = 3,

    /// <summary>FAISS threw a <c>faiss::FaissException</c>; the native message says why.</summary>
    FaissError = 4,

    /// <summary>Any other C++ exception.</summary>
    UnknownError = 5,

    /// <summary>The call does not fit the index's state (adding to an untrained inverted-file index, training it twice).</summary>
    InvalidState = 6,

    /// <summary>Reserved for file errors the shim detects itself; FAISS's own read and write errors arrive as <see cref="FaissError"/>.</summary>
    IoError = 7,
}
