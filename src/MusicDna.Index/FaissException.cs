namespace MusicDna.Index;

/// <summary>A FAISS shim call returned a status other than <see cref="NativeStatus.Ok"/>.</summary>
public sealed class FaissException(NativeStatus status, string nativeMessage)
    : Exception($"{nativeMessage} (FAISS shim status {status})")
{
    public NativeStatus Status { get; } = status;

    /// <summary>The shim's own message, from <c>mdx_last_error</c>.</summary>
    public string NativeMessage { get; } = nativeMessage;
}
