namespace MusicDna.Engine.Snapshots.Compact;

/// <summary>
/// An open-addressing hash table (linear probing) of slots, keyed by whatever the owner hashes a slot's key to: the
/// keys themselves stay in the owner's columns, so an entry costs 4 bytes. The same key may be held by several slots
/// (a song's versions). The owner's readers probe <see cref="Entries"/> themselves, comparing keys; entries hold
/// slot + 1, 0 for never used (a probe stops there) and -1 for a removed entry (a probe goes on).
/// One writer; a reader sees every entry before or after a change, and a table replaced by a larger one whole.
/// </summary>
internal sealed class SlotHashIndex(Func<int, int> hashOfSlot)
{
    private const double MaxLoad = 0.7;
    private const int MinCapacity = 16;

    private volatile int[] _entries = new int[MinCapacity];
    private int _used;
    private int _live;

    /// <summary>The current table: a power of two long, always with an unused entry.</summary>
    public int[] Entries => _entries;

    /// <summary>Sizes an empty table for <paramref name="expected"/> entries, so filling it never rehashes (writer only,
    /// before the table is shared).</summary>
    public void Presize(int expected)
    {
        if (_used != 0)
        {
            throw new InvalidOperationException("Only an empty table can be presized.");
        }

        var capacity = MinCapacity;
        while ((expected + 1) * 2L > capacity)
        {
            capacity *= 2;
        }

        _entries = new int[capacity];
    }

    /// <summary>Entries in use (live and removed), as a saved table restores them.</summary>
    public int Used => _used;

    /// <summary>Live entries.</summary>
    public int Live => _live;

    /// <summary>The table with every slot renumbered through <paramref name="newSlotOf"/> (old slot → new, negative
    /// for a slot that is not kept: its entry becomes a removed one, so no probe stops short).</summary>
    public int[] Renumbered(ReadOnlySpan<int> newSlotOf)
    {
        var entries = _entries;
        var renumbered = new int[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            renumbered[i] = entry <= 0 ? entry : newSlotOf[entry - 1] is var slot and >= 0 ? slot + 1 : -1;
        }

        return renumbered;
    }

    /// <summary>Takes a saved table whole (writer only, before the table is shared); entries must name slots below
    /// <paramref name="slots"/>.</summary>
    public void Restore(int[] entries, int used, int live, int slots)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Length < MinCapacity || !int.IsPow2(entries.Length) || live < 0 || used < live || used >= entries.Length)
        {
            throw new InvalidDataException("a saved lookup table is out of shape");
        }

        var counted = 0;
        var free = false;
        foreach (var entry in entries)
        {
            if (entry > slots || entry < -1)
            {
                throw new InvalidDataException("a saved lookup table names a slot the table does not hold");
            }

            counted += entry > 0 ? 1 : 0;
            free |= entry == 0;
        }

        if (counted != live || !free)
        {
            throw new InvalidDataException("a saved lookup table does not hold what it counts");
        }

        _entries = entries;
        _used = used;
        _live = live;
    }

    /// <summary>Adds a slot under its key's hash (writer only).</summary>
    public void Add(int hash, int slot)
    {
        if (_used + 1 > _entries.Length * MaxLoad)
        {
            Rehash();
        }

        var entries = _entries;
        var mask = entries.Length - 1;
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            var entry = entries[i];
            if (entry <= 0)
            {
                _used += entry == 0 ? 1 : 0;
                _live++;
                Volatile.Write(ref entries[i], slot + 1);
                return;
            }
        }
    }

    /// <summary>Puts a new slot in the place of an old one with the same key, in one write (writer only).</summary>
    public void Replace(int hash, int oldSlot, int newSlot)
    {
        var entries = _entries;
        var at = Position(entries, hash, oldSlot);
        if (at < 0)
        {
            Add(hash, newSlot);
            return;
        }

        Volatile.Write(ref entries[at], newSlot + 1);
    }

    /// <summary>Removes a slot (writer only).</summary>
    public void Remove(int hash, int slot)
    {
        var entries = _entries;
        var at = Position(entries, hash, slot);
        if (at >= 0)
        {
            _live--;
            Volatile.Write(ref entries[at], -1);
        }
    }

    private static int Position(int[] entries, int hash, int slot)
    {
        var mask = entries.Length - 1;
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            var entry = entries[i];
            if (entry == 0)
            {
                return -1;
            }

            if (entry == slot + 1)
            {
                return i;
            }
        }
    }

    // A fresh table at most half full of the live entries (removed ones are dropped), published whole: it doubles as
    // it fills, so live entries take 35-70 % of it.
    private void Rehash()
    {
        var capacity = MinCapacity;
        while ((_live + 1) * 2L > capacity)
        {
            capacity *= 2;
        }

        var old = _entries;
        var entries = new int[capacity];
        var mask = capacity - 1;
        foreach (var entry in old)
        {
            if (entry > 0)
            {
                var i = hashOfSlot(entry - 1) & mask;
                while (entries[i] != 0)
                {
                    i = (i + 1) & mask;
                }

                entries[i] = entry;
            }
        }

        _used = _live;
        _entries = entries;
    }
}
