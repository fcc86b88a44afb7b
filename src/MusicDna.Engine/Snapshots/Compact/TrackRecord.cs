using System.Text;

namespace MusicDna.Engine.Snapshots.Compact;

/// <summary>
/// The variable-length part of one stored track, as bytes in a <see cref="RecordArena"/>: track id, name and album as
/// UTF-8, each after its length; the count of artists and their interned ids; and the song id as UTF-8 where it is
/// not the 32-hex-digit form the song column packs (empty otherwise). Lengths and ids are 7-bit varints.
/// </summary>
internal static class TrackRecord
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static int Length(string trackId, string name, string album, ReadOnlySpan<int> artistIds, string? songText)
    {
        var length = Text(trackId) + Text(name) + Text(album) + VarintLength((uint)artistIds.Length) + Text(songText ?? "");
        foreach (var id in artistIds)
        {
            length += VarintLength((uint)id);
        }

        return length;
    }

    public static void Write(Span<byte> record, string trackId, string name, string album, ReadOnlySpan<int> artistIds, string? songText)
    {
        var at = WriteText(record, trackId);
        at += WriteText(record[at..], name);
        at += WriteText(record[at..], album);
        at += WriteVarint(record[at..], (uint)artistIds.Length);
        foreach (var id in artistIds)
        {
            at += WriteVarint(record[at..], (uint)id);
        }

        WriteText(record[at..], songText ?? "");
    }

    /// <summary>The track id's UTF-8 bytes.</summary>
    public static ReadOnlySpan<byte> TrackId(ReadOnlySpan<byte> record) => Field(record, 0);

    public static string Name(ReadOnlySpan<byte> record) => Utf8.GetString(NameBytes(record));

    public static ReadOnlySpan<byte> NameBytes(ReadOnlySpan<byte> record) => Field(record, 1);

    public static string Album(ReadOnlySpan<byte> record) => Utf8.GetString(AlbumBytes(record));

    public static ReadOnlySpan<byte> AlbumBytes(ReadOnlySpan<byte> record) => Field(record, 2);

    /// <summary>The record from its artist count on.</summary>
    public static ReadOnlySpan<byte> Artists(ReadOnlySpan<byte> record) => record[Skip(record, 3)..];

    /// <summary>Reads one varint at <paramref name="at"/>, moving past it.</summary>
    public static int ReadVarint(ReadOnlySpan<byte> bytes, ref int at)
    {
        var value = 0u;
        var shift = 0;
        while (true)
        {
            var b = bytes[at++];
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return (int)value;
            }

            shift += 7;
        }
    }

    /// <summary>The song id kept as text (empty when the song column holds it).</summary>
    public static string SongText(ReadOnlySpan<byte> record)
    {
        var (at, length) = SongTextField(record);
        return Utf8.GetString(record.Slice(at, length));
    }

    /// <summary>How many bytes the record at the start of <paramref name="bytes"/> takes (a record knows its length).</summary>
    public static int LengthOf(ReadOnlySpan<byte> bytes)
    {
        var (at, length) = SongTextField(bytes);
        return at + length;
    }

    public static string Decode(ReadOnlySpan<byte> utf8) => Utf8.GetString(utf8);

    public static int Encode(string text, Span<byte> utf8) => Utf8.GetBytes(text, utf8);

    public static int ByteCount(string text) => Utf8.GetByteCount(text);

    // Where the last field (the song text) starts and how long it is: after the three texts and the artist ids.
    private static (int At, int Length) SongTextField(ReadOnlySpan<byte> record)
    {
        var at = Skip(record, 3);
        var count = ReadVarint(record, ref at);
        for (var i = 0; i < count; i++)
        {
            ReadVarint(record, ref at);
        }

        var length = ReadVarint(record, ref at);
        return (at, length);
    }

    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> record, int index)
    {
        var at = Skip(record, index);
        var length = ReadVarint(record, ref at);
        return record.Slice(at, length);
    }

    private static int Skip(ReadOnlySpan<byte> record, int fields)
    {
        var at = 0;
        for (var i = 0; i < fields; i++)
        {
            var length = ReadVarint(record, ref at);
            at += length;
        }

        return at;
    }

    private static int Text(string text)
    {
        var bytes = Utf8.GetByteCount(text);
        return VarintLength((uint)bytes) + bytes;
    }

    private static int WriteText(Span<byte> record, string text)
    {
        var bytes = Utf8.GetByteCount(text);
        var at = WriteVarint(record, (uint)bytes);
        return at + Utf8.GetBytes(text, record[at..]);
    }

    private static int VarintLength(uint value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    private static int WriteVarint(Span<byte> bytes, uint value)
    {
        var at = 0;
        while (value >= 0x80)
        {
            bytes[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        bytes[at++] = (byte)value;
        return at;
    }
}
