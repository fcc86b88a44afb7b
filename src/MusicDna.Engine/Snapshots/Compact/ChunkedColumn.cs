namespace MusicDna.Engine.Snapshots.Compact;

/// <summary>
/// An append-only column of values by slot, <paramref name="width"/> values a slot, in fixed-size chunks: growing
/// never copies what is stored, and a reader holding a span of one slot keeps reading it while the column grows.
/// One writer; readers read only slots published to them after their values were written.
/// </summary>
internal sealed class ChunkedColumn<T>(int width)
{
    /// <summary>Slots per chunk (a power of two).</summary>
    public const int ChunkSlots = 1 << ChunkShift;

    private const int ChunkShift = 14;

    // Replaced whole when it grows, so a reader always sees a directory whose chunks are all allocated.
    private volatile T[][] _chunks = [];

    public int Width { get; } = width;

    public ref T At(int slot) => ref _chunks[slot >> ChunkShift][(slot & (ChunkSlots - 1)) * Width];

    public ReadOnlySpan<T> Read(int slot) => _chunks[slot >> ChunkShift].AsSpan((slot & (ChunkSlots - 1)) * Width, Width);

    public Span<T> Write(int slot)
    {
        EnsureCapacity(slot);
        return _chunks[slot >> ChunkShift].AsSpan((slot & (ChunkSlots - 1)) * Width, Width);
    }

    /// <summary>Room for the values of <paramref name="slots"/> slots from <paramref name="firstSlot"/>, all in one chunk
    /// (a bulk load fills a column chunk by chunk).</summary>
    public Span<T> WriteRange(int firstSlot, int slots)
    {
        if (slots <= 0 || (firstSlot >> ChunkShift) != ((firstSlot + slots - 1) >> ChunkShift))
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "A range must hold at least one slot and lie within one chunk.");
        }

        EnsureCapacity(firstSlot + slots - 1);
        return _chunks[firstSlot >> ChunkShift].AsSpan((firstSlot & (ChunkSlots - 1)) * Width, slots * Width);
    }

    private void EnsureCapacity(int slot)
    {
        var chunk = slot >> ChunkShift;
        var chunks = _chunks;
        if (chunk < chunks.Length)
        {
            return;
        }

        var grown = new T[chunk + 1][];
        chunks.CopyTo(grown, 0);
        for (var i = chunks.Length; i < grown.Length; i++)
        {
            grown[i] = new T[ChunkSlots * Width];
        }

        _chunks = grown;
    }
}
