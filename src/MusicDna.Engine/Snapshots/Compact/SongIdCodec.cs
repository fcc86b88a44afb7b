using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MusicDna.Core.Tracks;

namespace MusicDna.Engine.Snapshots.Compact;

/// <summary>
/// A song id as 16 bytes: the catalogue stores <see cref="SongKey"/>'s 32 lowercase hex digits, which pack exactly; any
/// other text (hand-made ids) is keyed by the first 16 bytes of its SHA-256 and kept as text beside the track.
/// </summary>
internal static class SongIdCodec
{
    /// <summary>The 16-byte key of a song id; <paramref name="keptAsText"/> when it is not packed hex.</summary>
    public static UInt128 Key(string songId, out bool keptAsText)
    {
        ArgumentNullException.ThrowIfNull(songId);
        if (IsPackedHex(songId)
            && ulong.TryParse(songId.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var upper)
            && ulong.TryParse(songId.AsSpan(16, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var lower))
        {
            keptAsText = false;
            return new UInt128(upper, lower);
        }

        keptAsText = true;
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(songId), hash);
        return new UInt128(BitConverter.ToUInt64(hash), BitConverter.ToUInt64(hash[8..]));
    }

    /// <summary>The key of a song id, whichever form it has.</summary>
    public static UInt128 Key(string songId) => Key(songId, out _);

    /// <summary>The packed form's text.</summary>
    public static string Text(UInt128 key)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, key);
        return Convert.ToHexStringLower(bytes);
    }

    private static bool IsPackedHex(string songId)
    {
        if (songId.Length != SongKey.Length)
        {
            return false;
        }

        foreach (var c in songId)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
