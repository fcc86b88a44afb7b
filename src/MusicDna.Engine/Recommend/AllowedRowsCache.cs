namespace MusicDna.Engine.Recommend;

/// <summary>
/// The last few <see cref="AllowedRows"/> of one snapshot, by static filter signature, each valid at the snapshot
/// revision it was built at (any change to the tracks builds it again). Thread-safe. An evicted set's native filter
/// is freed by its finaliser once no search holds it, never under a search that uses it.
/// </summary>
internal sealed class AllowedRowsCache
{
    private const int Capacity = 8;

    private readonly Lock _lock = new();
    private readonly LinkedList<(string Signature, long Revision, AllowedRows Rows)> _entries = new();

    /// <summary>Sets held.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public AllowedRows Get(string signature, long revision, Func<AllowedRows> build)
    {
        lock (_lock)
        {
            for (var node = _entries.First; node is not null; node = node.Next)
            {
                if (node.Value.Signature == signature && node.Value.Revision == revision)
                {
                    _entries.Remove(node);
                    _entries.AddFirst(node);
                    return node.Value.Rows;
                }
            }
        }

        var rows = build();
        lock (_lock)
        {
            for (var node = _entries.First; node is not null; node = node.Next)
            {
                if (node.Value.Signature == signature)
                {
                    _entries.Remove(node);
                    break;
                }
            }

            _entries.AddFirst((signature, revision, rows));
            while (_entries.Count > Capacity)
            {
                _entries.RemoveLast();
            }
        }

        return rows;
    }
}
