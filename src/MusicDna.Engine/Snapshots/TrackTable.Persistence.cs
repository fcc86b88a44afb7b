using System.Runtime.InteropServices;
using System.Text;
using MusicDna.Core.Features;
using MusicDna.Engine.Snapshots.Compact;

namespace MusicDna.Engine.Snapshots;

/// <summary>
/// The table as bytes, so a restart reads its columns whole instead of building every row again from the catalogue
/// (<see cref="SnapshotTableFile"/> decides when a saved table may serve). Only live rows are written, in slot order
/// and renumbered from slot 0, so a saved table has no dead slots. Everything is written as it is held and read back
/// in bulk: the columns, the records laid out in arena chunks as a fresh arena would place them, and the track id
/// and song lookups (their hashes are keyed by the table's own seed, saved with it), renumbered; only the row → slot
/// pages are rebuilt, in one sequential pass.
/// </summary>
public sealed partial class TrackTable
{
    private static readonly byte[] Magic = "MDNATT02"u8.ToArray();

    // Values gathered before each write to the stream: large enough that a write is never per slot.
    private const int GatherSlots = 4096;

    /// <summary>Writes every live row (one writer at a time: upserts wait while it runs).</summary>
    internal void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        lock (_write)
        {
            var live = LiveSlots();
            var rawRows = 0;
            foreach (var slot in live)
            {
                rawRows += (_flags.Read(slot)[0] & RawFeaturesFlag) != 0 ? 1 : 0;
            }

            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(LatentSize);
            writer.Write(live.Length);
            writer.Write(_songCount);
            writer.Write(rawRows);
            writer.Write(_hashSeed);
            WriteStrings(writer, _genreNames);
            WriteStrings(writer, _artistNames);
            writer.Flush();

            WriteColumn(stream, _rowIds, live);
            WriteColumn(stream, _genres, live);
            WriteColumn(stream, _popularity, live);
            WriteColumn(stream, _flags, live);
            WriteColumn(stream, _durations, live);
            WriteWideFeatures(stream, live);
            WriteColumn(stream, _smallFeatures, live);
            WriteColumn(stream, _vectors, live);
            WriteColumn(stream, _songs, live);
            WriteRecords(writer, live);
            WriteRawFeatures(stream, live, rawRows);
            var newSlotOf = new int[_slotCount];
            Array.Fill(newSlotOf, -1);
            for (var i = 0; i < live.Length; i++)
            {
                newSlotOf[live[i]] = i;
            }

            WriteLookup(writer, _byTrackId, newSlotOf);
            WriteLookup(writer, _bySong, newSlotOf);
            writer.Flush();
        }
    }

    /// <summary>Reads a table <see cref="WriteTo"/> wrote; the stream's bytes are trusted to be such a table (the
    /// caller has checked them), and anything else is refused with <see cref="InvalidDataException"/>.</summary>
    internal static TrackTable ReadFrom(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> magic = stackalloc byte[Magic.Length];
        stream.ReadExactly(magic);
        if (!magic.SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a saved track table of this format");
        }

        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var latentSize = reader.ReadInt32();
        var count = reader.ReadInt32();
        var songCount = reader.ReadInt32();
        var rawRows = reader.ReadInt32();
        var hashSeed = reader.ReadInt64();
        if (latentSize is < 1 or > 65_536 || count < 0 || songCount < 0 || songCount > count || rawRows < 0 || rawRows > count)
        {
            throw new InvalidDataException("the saved track table's header is out of range");
        }

        var table = new TrackTable(latentSize, hashSeed);
        ReadStrings(reader, table._genreNames);
        ReadStrings(reader, table._artistNames);
        ReadColumn(stream, table._rowIds, count);
        ReadColumn(stream, table._genres, count);
        ReadColumn(stream, table._popularity, count);
        ReadColumn(stream, table._flags, count);
        ReadColumn(stream, table._durations, count);
        ReadColumn(stream, table._wideFeatures, count);
        ReadColumn(stream, table._smallFeatures, count);
        ReadColumn(stream, table._vectors, count);
        ReadColumn(stream, table._songs, count);
        table.ReadRecords(reader, count);
        ReadColumn(stream, table._rawFeatures, rawRows);
        table._rawFeatureRows = rawRows;
        ReadLookup(reader, table._byTrackId, count);
        ReadLookup(reader, table._bySong, count);
        table.IndexLoadedRows(count, songCount);
        return table;
    }

    /// <summary>Slots of live rows, ascending.</summary>
    private int[] LiveSlots()
    {
        var live = new int[_count];
        var found = 0;
        for (var slot = 0; slot < _slotCount; slot++)
        {
            if (_slots.TryGet(_rowIds.Read(slot)[0], out var current) && current == slot)
            {
                live[found++] = slot;
            }
        }

        return found == live.Length ? live : throw new InvalidOperationException($"The table counts {_count} rows but holds {found}.");
    }

    private static void WriteStrings(BinaryWriter writer, InternTable strings)
    {
        writer.Write(strings.Count);
        for (var id = 0; id < strings.Count; id++)
        {
            writer.Write(strings[id]);
        }
    }

    private static void ReadStrings(BinaryReader reader, InternTable strings)
    {
        var count = reader.ReadInt32();
        if (count < 0)
        {
            throw new InvalidDataException("the saved track table's strings are out of range");
        }

        for (var id = 0; id < count; id++)
        {
            if (strings.Intern(reader.ReadString()) != id)
            {
                throw new InvalidDataException("the saved track table names one string twice");
            }
        }
    }

    // Gathers the slots' values (each after an optional patch of its copy) and writes them in runs.
    private static void WriteColumn<T>(Stream stream, ChunkedColumn<T> column, int[] slots, Action<int, Span<T>>? patch = null)
        where T : unmanaged
    {
        var buffer = new T[Math.Max(1, Math.Min(slots.Length, GatherSlots)) * column.Width];
        var filled = 0;
        foreach (var slot in slots)
        {
            var values = buffer.AsSpan(filled, column.Width);
            column.Read(slot).CopyTo(values);
            patch?.Invoke(slot, values);
            filled += column.Width;
            if (filled == buffer.Length)
            {
                stream.Write(MemoryMarshal.AsBytes(buffer.AsSpan()));
                filled = 0;
            }
        }

        stream.Write(MemoryMarshal.AsBytes(buffer.AsSpan(0, filled)));
    }

    private static void ReadColumn<T>(Stream stream, ChunkedColumn<T> column, int count)
        where T : unmanaged
    {
        for (var first = 0; first < count; first += ChunkedColumn<T>.ChunkSlots)
        {
            var slots = Math.Min(ChunkedColumn<T>.ChunkSlots, count - first);
            stream.ReadExactly(MemoryMarshal.AsBytes(column.WriteRange(first, slots)));
        }
    }

    // As the column, except that a row kept as doubles points at its renumbered raw row.
    private void WriteWideFeatures(Stream stream, int[] slots)
    {
        var rawRow = 0;
        WriteColumn(stream, _wideFeatures, slots, (slot, values) =>
        {
            if ((_flags.Read(slot)[0] & RawFeaturesFlag) != 0)
            {
                values[0] = rawRow++;
            }
        });
    }

    private void WriteRawFeatures(Stream stream, int[] slots, int rawRows)
    {
        var features = new double[rawRows * FeatureSchema.Count];
        var row = 0;
        foreach (var slot in slots)
        {
            if ((_flags.Read(slot)[0] & RawFeaturesFlag) != 0)
            {
                _rawFeatures.Read(_wideFeatures.Read(slot)[0]).CopyTo(features.AsSpan(row++ * FeatureSchema.Count));
            }
        }

        stream.Write(MemoryMarshal.AsBytes(features.AsSpan()));
    }

    // The records' positions in a fresh arena (a column), the chunks' lengths and used bytes, then the records one
    // after another (chunk by chunk).
    private void WriteRecords(BinaryWriter writer, int[] slots)
    {
        var lengths = new int[slots.Length];
        for (var i = 0; i < slots.Length; i++)
        {
            lengths[i] = TrackRecord.LengthOf(Record(slots[i]));
        }

        var chunkLengths = new List<int>();
        var chunkUsed = new List<int>();
        var positions = RecordArena.Layout(lengths, chunkLengths, chunkUsed);
        writer.Write(MemoryMarshal.AsBytes(positions.AsSpan()));
        writer.Write(chunkLengths.Count);
        writer.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(chunkLengths)));
        writer.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(chunkUsed)));
        for (var i = 0; i < slots.Length; i++)
        {
            writer.Write(Record(slots[i])[..lengths[i]]);
        }
    }

    private void ReadRecords(BinaryReader reader, int count)
    {
        var stream = reader.BaseStream;
        ReadColumn(stream, _records, count);
        var chunkCount = reader.ReadInt32();
        if (chunkCount < 0 || chunkCount > count)
        {
            throw new InvalidDataException("the saved track table's records are out of range");
        }

        var chunkLengths = new int[chunkCount];
        var chunkUsed = new int[chunkCount];
        stream.ReadExactly(MemoryMarshal.AsBytes(chunkLengths.AsSpan()));
        stream.ReadExactly(MemoryMarshal.AsBytes(chunkUsed.AsSpan()));
        var chunks = new byte[chunkCount][];
        var bytes = 0L;
        for (var c = 0; c < chunkCount; c++)
        {
            if (chunkLengths[c] <= 0 || chunkUsed[c] <= 0 || chunkUsed[c] > chunkLengths[c])
            {
                throw new InvalidDataException("the saved track table's records are out of range");
            }

            chunks[c] = new byte[chunkLengths[c]];
            stream.ReadExactly(chunks[c].AsSpan(0, chunkUsed[c]));
            bytes += chunkUsed[c];
        }

        for (var slot = 0; slot < count; slot++)
        {
            var position = _records.Read(slot)[0];
            var chunk = position >> 32;
            if (chunk < 0 || chunk >= chunkCount || (uint)position >= (uint)chunkUsed[chunk])
            {
                throw new InvalidDataException("the saved track table points at a record it does not hold");
            }
        }

        _arena.Restore(chunks, chunkCount == 0 ? 0 : chunkUsed[^1], bytes);
    }

    private static void WriteLookup(BinaryWriter writer, SlotHashIndex lookup, ReadOnlySpan<int> newSlotOf)
    {
        var entries = lookup.Renumbered(newSlotOf);
        writer.Write(entries.Length);
        writer.Write(lookup.Used);
        writer.Write(lookup.Live);
        writer.Write(MemoryMarshal.AsBytes(entries.AsSpan()));
    }

    private static void ReadLookup(BinaryReader reader, SlotHashIndex lookup, int count)
    {
        var length = reader.ReadInt32();
        var used = reader.ReadInt32();
        var live = reader.ReadInt32();
        if (length is < 0 or > 1 << 30)
        {
            throw new InvalidDataException("a saved lookup table is out of shape");
        }

        var entries = new int[length];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(entries.AsSpan()));
        lookup.Restore(entries, used, live, count);
    }

    // The row → slot pages over rows just read into slots 0 to count (the other lookups are read whole).
    private void IndexLoadedRows(int count, int songCount)
    {
        var genres = _genreNames.Count;
        for (var slot = 0; slot < count; slot++)
        {
            var rowId = _rowIds.Read(slot)[0];
            if (_slots.TryGet(rowId, out _))
            {
                throw new InvalidDataException($"the saved track table holds row {rowId} twice");
            }

            if ((uint)_genres.Read(slot)[0] >= (uint)genres)
            {
                throw new InvalidDataException("the saved track table names a genre it does not hold");
            }

            _slots.Set(rowId, slot);
        }

        _slotCount = count;
        _count = count;
        _songCount = songCount;
    }
}
