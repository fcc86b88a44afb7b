using Microsoft.Win32.SafeHandles;

namespace MusicDna.Index.Interop;

/// <summary>Owns one native id filter (native/id_filter.h).</summary>
internal sealed class FilterHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public FilterHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.FilterFree(handle);
        return true;
    }
}
