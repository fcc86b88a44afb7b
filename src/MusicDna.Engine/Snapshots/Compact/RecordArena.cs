namespace MusicDna.Engine.Snapshots.Compact;

/// <summary>
/// An append-only byte arena of variable-length records (a track's strings as UTF-8), addressed by the position
/// <see cref="Reserve"/> returns. Chunks are never moved or reused, so a record stays readable at its position for
/// the arena's life; a replaced record is left behind as garbage until the arena is dropped with its table.
/// One writer; readers read only positions published to them after their records were written.
/// </summary>
internal sealed class RecordArena
{
    private const int ChunkBytes = 1 << 20;

    // Replaced whole when it grows, so a reader always sees a directory whose chunks are all allocated.
    private volatile byte[][] _chunks = [];
    private int _used;

    /// <summary>Bytes written, garbage included.</summary>
    public long Bytes { get; private set; }

    /// <summary>Room for a record of <paramref name="length"/> bytes, and the position it will have.</summary>
    public Span<byte> Reserve(int length, out long position)
    {
        var chunks = _chunks;
        if (chunks.Length == 0 || _used + length > chunks[^1].Length)
        {
            var grown = new byte[chunks.Length + 1][];
            chunks.CopyTo(grown, 0);
            grown[^1] = new byte[Math.Max(ChunkBytes, length)];
            _chunks = chunks = grown;
            _used = 0;
        }

        position = ((long)(chunks.Length - 1) << 32) | (uint)_used;
        var room = chunks[^1].AsSpan(_used, length);
        _used += length;
        Bytes += length;
        return room;
    }

    /// <summary>
    /// Where records of these lengths would be placed, one after another, in a fresh arena: each record's position,
    /// and each chunk's length and the bytes it would use, so a saved arena is read back chunk by chunk.
    /// </summary>
    public static long[] Layout(ReadOnlySpan<int> lengths, List<int> chunkLengths, List<int> chunkUsed)
    {
        var positions = new long[lengths.Length];
        for (var i = 0; i < lengths.Length; i++)
        {
            if (chunkLengths.Count == 0 || chunkUsed[^1] + lengths[i] > chunkLengths[^1])
            {
                chunkLengths.Add(Math.Max(ChunkBytes, lengths[i]));
                chunkUsed.Add(0);
            }

            positions[i] = ((long)(chunkLengths.Count - 1) << 32) | (uint)chunkUsed[^1];
            chunkUsed[^1] += lengths[i];
        }

        return positions;
    }

    /// <summary>Takes chunks laid out by <see cref="Layout"/> whole (writer only, before the arena is shared): new
    /// records go on after the last one.</summary>
    public void Restore(byte[][] chunks, int lastUsed, long bytes)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        _chunks = chunks;
        _used = chunks.Length == 0 ? 0 : lastUsed;
        Bytes = bytes;
    }

    /// <summary>The bytes from a record's position to the end of its chunk (a record knows its own length).</summary>
    public ReadOnlySpan<byte> From(long position) => _chunks[(int)(position >> 32)].AsSpan((int)(uint)position);
}
