using Microsoft.Win32.SafeHandles;

namespace MusicDna.Index.Interop;

/// <summary>Owns one native FAISS index; the runtime's reference counting keeps it alive while a call uses it.</summary>
internal sealed class IndexHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    // The marshaller creates the instance before the native call fills it in.
    public IndexHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.IndexFree(handle);
        return true;
    }
}
