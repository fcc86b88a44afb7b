using System.Runtime.InteropServices;
using System.Text;
using MusicDna.Core.Features;
using MusicDna.Engine.Snapshots.Compact;

namespace MusicDna.Engine.Snapshots;

/// <summary>
/// The table as bytes, so a restart reads its columns whole instead of building every row again from the catalogue
/// (<see cref="SnapshotTableFile"/> decides when a saved table may serve). Only live rows are written, in slot order
/// and renumbered from slot 0, so a saved table has no dead slots; the column values are written as they are held,
/// and the lookups (row → slot, track id, song) are rebuilt on reading, presized, because their hashes are this
/// process's own.
/// </summary>
public sealed partial class TrackTable
{
    private static readonly byte[] Magic = "MDNATT01"u8.ToArray();

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
            WriteRecords(stream, live);
            WriteRawFeatures(stream, live, rawRows);
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
        if (latentSize is < 1 or > 65_536 || count < 0 || songCount < 0 || songCount > count || rawRows < 0 || rawRows > count)
        {
            throw new InvalidDataException("the saved track table's header is out of range");
        }

        var table = new TrackTable(latentSize);
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
        table.ReadRecords(stream, count);
        ReadColumn(stream, table._rawFeatures, rawRows);
        table._rawFeatureRows = rawRows;
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

    private static void WriteColumn<T>(Stream stream, ChunkedColumn<T> column, int[] slots)
        where T : unmanaged
    {
        var buffer = new T[Math.Max(1, Math.Min(slots.Length, GatherSlots)) * column.Width];
        var filled = 0;
        foreach (var slot in slots)
        {
            column.Read(slot).CopyTo(buffer.AsSpan(filled));
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
        var width = _wideFeatures.Width;
        var buffer = new int[Math.Max(1, Math.Min(slots.Length, GatherSlots)) * width];
        var filled = 0;
        var rawRow = 0;
        foreach (var slot in slots)
        {
            _wideFeatures.Read(slot).CopyTo(buffer.AsSpan(filled));
            if ((_flags.Read(slot)[0] & RawFeaturesFlag) != 0)
            {
                buffer[filled] = rawRow++;
            }

            filled += width;
            if (filled == buffer.Length)
            {
                stream.Write(MemoryMarshal.AsBytes(buffer.AsSpan()));
                filled = 0;
            }
        }

        stream.Write(MemoryMarshal.AsBytes(buffer.AsSpan(0, filled)));
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

    // Every record's length, then the records one after another.
    private void WriteRecords(Stream stream, int[] slots)
    {
        var lengths = new int[slots.Length];
        for (var i = 0; i < slots.Length; i++)
        {
            lengths[i] = TrackRecord.LengthOf(Record(slots[i]));
        }

        stream.Write(MemoryMarshal.AsBytes(lengths.AsSpan()));
        for (var i = 0; i < slots.Length; i++)
        {
            stream.Write(Record(slots[i])[..lengths[i]]);
        }
    }

    private void ReadRecords(Stream stream, int count)
    {
        var lengths = new int[count];
        stream.ReadExactly(MemoryMarshal.AsBytes(lengths.AsSpan()));
        for (var slot = 0; slot < count; slot++)
        {
            if (lengths[slot] <= 0)
            {
                throw new InvalidDataException("the saved track table has a record of no bytes");
            }

            stream.ReadExactly(_arena.Reserve(lengths[slot], out var position));
            _records.Write(slot)[0] = position;
        }
    }

    // The lookups over rows just read into slots 0 to count, sized once.
    private void IndexLoadedRows(int count, int songCount)
    {
        _byTrackId.Presize(count);
        _bySong.Presize(count);
        for (var slot = 0; slot < count; slot++)
        {
            var rowId = _rowIds.Read(slot)[0];
            if (_slots.TryGet(rowId, out _))
            {
                throw new InvalidDataException($"the saved track table holds row {rowId} twice");
            }

            if (_genres.Read(slot)[0] < 0 || _genres.Read(slot)[0] >= _genreNames.Count)
            {
                throw new InvalidDataException("the saved track table names a genre it does not hold");
            }

            _slots.Set(rowId, slot);
            AddTrackId(TrackIdHash(TrackIdBytes(slot)), slot);
            _bySong.Add(_songs.Read(slot)[0].GetHashCode(), slot);
        }

        _slotCount = count;
        _count = count;
        _songCount = songCount;
    }
}
