using System.Collections.Concurrent;

namespace MusicDna.Engine.Snapshots.Compact;

/// <summary>
/// Catalogue row id → the slot that holds the row's current values. Catalogue row ids are dense from 1, so they index
/// pages of slots directly (4 bytes a row); ids outside the paged range (negative, or past 2^32) fall back to a
/// dictionary. One writer; lock-free readers see each entry either before or after a change, never torn.
/// </summary>
internal sealed class RowSlotMap
{
    private const int PageShift = 12;
    private const int PageSize = 1 << PageShift;
    private const long PagedIds = 1L << 32;

    // Entries hold slot + 1 (0 = no row). The directory is replaced whole when it grows.
    private volatile int[]?[] _pages = [];
    private readonly ConcurrentDictionary<long, int> _outside = new();

    public bool TryGet(long rowId, out int slot)
    {
        if (rowId is >= 0 and < PagedIds)
        {
            var pages = _pages;
            var page = (int)(rowId >> PageShift);
            var entry = page < pages.Length && pages[page] is { } held ? Volatile.Read(ref held[rowId & (PageSize - 1)]) : 0;
            slot = entry - 1;
            return entry != 0;
        }

        return _outside.TryGetValue(rowId, out slot);
    }

    /// <summary>Points the row at a slot whose values are already written (writer only).</summary>
    public void Set(long rowId, int slot)
    {
        if (rowId is >= 0 and < PagedIds)
        {
            Volatile.Write(ref Page(rowId)[rowId & (PageSize - 1)], slot + 1);
        }
        else
        {
            _outside[rowId] = slot;
        }
    }

    /// <summary>Forgets the row (writer only).</summary>
    public void Remove(long rowId)
    {
        if (rowId is >= 0 and < PagedIds)
        {
            var pages = _pages;
            var page = (int)(rowId >> PageShift);
            if (page < pages.Length && pages[page] is { } held)
            {
                Volatile.Write(ref held[rowId & (PageSize - 1)], 0);
            }
        }
        else
        {
            _outside.TryRemove(rowId, out _);
        }
    }

    private int[] Page(long rowId)
    {
        var page = (int)(rowId >> PageShift);
        var pages = _pages;
        if (page >= pages.Length)
        {
            var grown = new int[]?[Math.Max(page + 1, pages.Length * 2)];
            pages.CopyTo(grown, 0);
            _pages = pages = grown;
        }

        if (pages[page] is not { } held)
        {
            held = new int[PageSize];
            Volatile.Write(ref pages[page], held);
        }

        return held;
    }
}
