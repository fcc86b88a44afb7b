using System.Collections.Concurrent;

namespace MusicDna.Engine.Map;

/// <summary>
/// The sonic map of one snapshot: a 2-d position for each of its tracks, keyed by catalogue row id. The layout is
/// computed once when the model is published (<see cref="SonicMapLayout"/>); tracks ingested later are placed beside
/// their neighbours (<see cref="NeighbourPlacement"/>). Written by the serving publisher only, read lock-free.
/// </summary>
public sealed class SonicMap
{
    private const int PageShift = 12;
    private const int PageSize = 1 << PageShift;
    private const long PagedIds = 1L << 32;

    // Catalogue row ids are dense from 1: pages of packed positions by row id (8 bytes a row, x and y written in one
    // store so a reader never sees half a move), a presence flag beside each; ids outside the paged range in a
    // dictionary. The directory is replaced whole when it grows. One writer, lock-free readers.
    private readonly Lock _write = new();
    private readonly ConcurrentDictionary<long, MapPosition> _outside = new();
    private volatile Page?[] _pages = [];
    private volatile int _count;

    public int Count => _count;

    public bool TryGet(long rowId, out MapPosition position)
    {
        if (rowId is < 0 or >= PagedIds)
        {
            return _outside.TryGetValue(rowId, out position);
        }

        var pages = _pages;
        var index = (int)(rowId >> PageShift);
        var at = (int)(rowId & (PageSize - 1));
        if (index < pages.Length && pages[index] is { } page && Volatile.Read(ref page.Present[at]))
        {
            var packed = Volatile.Read(ref page.Positions[at]);
            position = new MapPosition(BitConverter.Int32BitsToSingle((int)(packed >> 32)), BitConverter.Int32BitsToSingle((int)packed));
            return true;
        }

        position = default;
        return false;
    }

    internal void Set(IReadOnlyList<long> rowIds, ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        lock (_write)
        {
            for (var i = 0; i < rowIds.Count; i++)
            {
                var rowId = rowIds[i];
                if (rowId is < 0 or >= PagedIds)
                {
                    _count += _outside.TryAdd(rowId, new MapPosition(x[i], y[i])) ? 1 : 0;
                    _outside[rowId] = new MapPosition(x[i], y[i]);
                    continue;
                }

                var page = PageOf(rowId);
                var at = (int)(rowId & (PageSize - 1));
                Volatile.Write(ref page.Positions[at], ((long)BitConverter.SingleToInt32Bits(x[i]) << 32) | (uint)BitConverter.SingleToInt32Bits(y[i]));
                if (!page.Present[at])
                {
                    Volatile.Write(ref page.Present[at], true);
                    _count++;
                }
            }
        }
    }

    internal void Remove(long rowId)
    {
        lock (_write)
        {
            if (rowId is < 0 or >= PagedIds)
            {
                _count -= _outside.TryRemove(rowId, out _) ? 1 : 0;
                return;
            }

            var pages = _pages;
            var index = (int)(rowId >> PageShift);
            var at = (int)(rowId & (PageSize - 1));
            if (index < pages.Length && pages[index] is { } page && page.Present[at])
            {
                Volatile.Write(ref page.Present[at], false);
                _count--;
            }
        }
    }

    private Page PageOf(long rowId)
    {
        var index = (int)(rowId >> PageShift);
        var pages = _pages;
        if (index >= pages.Length)
        {
            var grown = new Page?[Math.Max(index + 1, pages.Length * 2)];
            pages.CopyTo(grown, 0);
            _pages = pages = grown;
        }

        if (pages[index] is not { } page)
        {
            page = new Page();
            Volatile.Write(ref pages[index], page);
        }

        return page;
    }

    private sealed class Page
    {
        public readonly long[] Positions = new long[PageSize];
        public readonly bool[] Present = new bool[PageSize];
    }
}
