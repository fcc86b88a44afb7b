using System.IO.Hashing;
using System.Runtime.InteropServices;
using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Snapshots.Compact;

namespace MusicDna.Engine.Snapshots;

/// <summary>
/// The in-memory facts of every indexed track under one snapshot, keyed by catalogue row id (= index id), and the
/// rows of each song. Written only by <see cref="ModelSnapshot"/>, before its index, so every id a search finds has
/// its facts here. Filters read it per candidate at memory speed instead of querying the catalogue.
/// </summary>
/// <remarks>
/// Compact: no object per track. Each upsert writes a new slot of columns (genre and artists as interned ids,
/// popularity, explicit, duration, the 12 raw features exactly in <see cref="FeatureCodec"/>'s form, or as doubles
/// where it has none, the unit vector, the song as 16 bytes) and a record of
/// UTF-8 strings (track id, name, album) in an append-only arena, then points the row at it; a slot is never written
/// again, so a <see cref="TrackFacts"/> read before a replace keeps reading the values it was read with. A replaced
/// or removed row's slot and record stay behind as garbage (<see cref="DeadSlots"/>) until the table is dropped: a
/// new model's snapshot builds a fresh one. Track id and song lookups are open-addressing tables of slots over the
/// stored keys, so they hold no string per track. A <see cref="Track"/> is built only when asked for.
/// Thread-safe: lock-free reads and enumeration while one writer at a time upserts and removes.
/// </remarks>
public sealed partial class TrackTable
{
    private const byte ExplicitFlag = 1;
    private const byte SongTextFlag = 2;

    // The track's features are the doubles of a raw row (its number in the first wide value), not the compact values.
    private const byte RawFeaturesFlag = 4;

    private readonly Lock _write = new();
    private readonly ChunkedColumn<long> _rowIds = new(1);
    private readonly ChunkedColumn<long> _records = new(1);
    private readonly ChunkedColumn<int> _genres = new(1);
    private readonly ChunkedColumn<byte> _popularity = new(1);
    private readonly ChunkedColumn<byte> _flags = new(1);
    private readonly ChunkedColumn<long> _durations = new(1);
    private readonly ChunkedColumn<int> _wideFeatures = new(FeatureCodec.WideCount);
    private readonly ChunkedColumn<sbyte> _smallFeatures = new(FeatureCodec.SmallCount);
    private readonly ChunkedColumn<double> _rawFeatures = new(FeatureSchema.Count);
    private readonly ChunkedColumn<float> _vectors;
    private readonly ChunkedColumn<UInt128> _songs = new(1);
    private readonly RecordArena _arena = new();
    private readonly InternTable _genreNames = new();
    private readonly InternTable _artistNames = new();
    private readonly RowSlotMap _slots = new();
    private readonly SlotHashIndex _byTrackId;
    private readonly SlotHashIndex _bySong;
    private volatile int _slotCount;
    private int _rawFeatureRows;
    private volatile int _count;
    private volatile int _songCount;

    // The lookups' hashes are keyed by this table's own random seed: unpredictable to whoever chooses track ids (no
    // crafted collisions), and the same in every process, so a saved table's lookups are read back as they are.
    private readonly long _hashSeed;

    /// <param name="latentSize">The length of the unit vectors the table holds.</param>
    public TrackTable(int latentSize)
        : this(latentSize, Random.Shared.NextInt64())
    {
    }

    private TrackTable(int latentSize, long hashSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(latentSize);
        LatentSize = latentSize;
        _hashSeed = hashSeed;
        _vectors = new ChunkedColumn<float>(latentSize);
        _byTrackId = new SlotHashIndex(slot => TrackIdHash(TrackIdBytes(slot)));
        _bySong = new SlotHashIndex(slot => SongHash(_songs.Read(slot)[0]));
    }

    public int LatentSize { get; }

    public int Count => _count;

    /// <summary>Distinct songs among the rows.</summary>
    public int SongCount => _songCount;

    /// <summary>Slots left behind by replaced and removed rows (their values are garbage until the table is dropped).</summary>
    public int DeadSlots => _slotCount - _count;

    /// <summary>Bytes of UTF-8 records written, garbage included.</summary>
    public long RecordBytes => _arena.Bytes;

    /// <summary>Slots whose features have no exact compact encoding and are kept as doubles (garbage included).</summary>
    internal int RawFeatureRows => _rawFeatureRows;

    /// <summary>Distinct genres interned so far (ids 0 to this, exclusive).</summary>
    internal int GenreCount => _genreNames.Count;

    /// <summary>Every row, in no particular order (a moment-in-time view while ingest runs).</summary>
    public IEnumerable<KeyValuePair<long, TrackFacts>> Rows
    {
        get
        {
            var slots = _slotCount;
            for (var slot = 0; slot < slots; slot++)
            {
                var rowId = _rowIds.Read(slot)[0];
                if (_slots.TryGet(rowId, out var current) && current == slot)
                {
                    yield return new(rowId, new TrackFacts(this, slot));
                }
            }
        }
    }

    public bool TryGet(long rowId, out TrackFacts facts)
    {
        if (_slots.TryGet(rowId, out var slot))
        {
            facts = new TrackFacts(this, slot);
            return true;
        }

        facts = default;
        return false;
    }

    /// <summary>The row id and facts of the track with this track id, when it is in the table.</summary>
    public bool TryFind(string trackId, out long rowId, out TrackFacts facts)
    {
        ArgumentNullException.ThrowIfNull(trackId);
        var length = TrackRecord.ByteCount(trackId);
        Span<byte> key = length <= 512 ? stackalloc byte[length] : new byte[length];
        TrackRecord.Encode(trackId, key);
        var entries = _byTrackId.Entries;
        var mask = entries.Length - 1;
        for (var i = TrackIdHash(key) & mask; ; i = (i + 1) & mask)
        {
            var entry = Volatile.Read(ref entries[i]);
            if (entry == 0)
            {
                break;
            }

            if (entry > 0 && TrackIdBytes(entry - 1).SequenceEqual(key))
            {
                // The row may have moved to a newer slot since; it is found only while it still has this id.
                rowId = _rowIds.Read(entry - 1)[0];
                if (_slots.TryGet(rowId, out var current) && TrackIdBytes(current).SequenceEqual(key))
                {
                    facts = new TrackFacts(this, current);
                    return true;
                }
            }
        }

        rowId = 0;
        facts = default;
        return false;
    }

    /// <summary>The rows of every version of this song in the table, by row id (empty for a song it does not hold).</summary>
    public IReadOnlyList<long> VersionsOf(string songId) => VersionsOf(SongIdCodec.Key(songId));

    internal IReadOnlyList<long> VersionsOf(UInt128 song)
    {
        var rows = (stackalloc long[16]);
        int count;
        while ((count = VersionsOf(song, rows)) < 0)
        {
            rows = new long[rows.Length * 4];
        }

        if (count == 0)
        {
            return [];
        }

        var sorted = rows[..count].ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>
    /// The rows of every version of this song, in no particular order, written to <paramref name="rows"/>: their
    /// count, or -1 when there are more than it holds (the probe stops there). Allocates nothing.
    /// </summary>
    internal int VersionsOf(UInt128 song, Span<long> rows)
    {
        var count = 0;
        var entries = _bySong.Entries;
        var mask = entries.Length - 1;
        for (var i = SongHash(song) & mask; ; i = (i + 1) & mask)
        {
            var entry = Volatile.Read(ref entries[i]);
            if (entry == 0)
            {
                return count;
            }

            var slot = entry - 1;
            if (entry > 0 && _songs.Read(slot)[0] == song)
            {
                var rowId = _rowIds.Read(slot)[0];
                if (_slots.TryGet(rowId, out var current) && current == slot && !rows[..count].Contains(rowId))
                {
                    if (count == rows.Length)
                    {
                        return -1;
                    }

                    rows[count++] = rowId;
                }
            }
        }
    }

    /// <summary>Sizes the lookups of a still empty table for <paramref name="expectedRows"/> rows, so filling it never
    /// rehashes them (a snapshot filled from the catalogue knows its count).</summary>
    internal void Presize(int expectedRows)
    {
        lock (_write)
        {
            if (_slotCount == 0)
            {
                _byTrackId.Presize(expectedRows);
                _bySong.Presize(expectedRows);
            }
        }
    }

    /// <summary>Adds or replaces a row (one writer at a time): a new slot is written whole, then the row points at it.</summary>
    internal void Upsert(long rowId, Track track, string songId, ReadOnlySpan<float> unitVector)
    {
        ArgumentNullException.ThrowIfNull(track);
        ArgumentNullException.ThrowIfNull(songId);
        if (unitVector.Length != LatentSize || track.Features.Length != FeatureSchema.Count)
        {
            throw new ArgumentException(
                $"A vector of {unitVector.Length} values and {track.Features.Length} features do not fit a table of latent size {LatentSize} and {FeatureSchema.Count} features.");
        }

        if (track.Popularity is < 0 or > byte.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(track), track.Popularity, "Popularity must be in [0, 255].");
        }

        lock (_write)
        {
            var slot = _slotCount;
            var song = SongIdCodec.Key(songId, out var songAsText);
            var artistIds = new int[track.Artists.Count];
            for (var i = 0; i < artistIds.Length; i++)
            {
                artistIds[i] = _artistNames.Intern(track.Artists[i]);
            }

            var songText = songAsText ? songId : null;
            var record = _arena.Reserve(TrackRecord.Length(track.TrackId, track.Name, track.Album, artistIds, songText), out var position);
            TrackRecord.Write(record, track.TrackId, track.Name, track.Album, artistIds, songText);
            _rowIds.Write(slot)[0] = rowId;
            _records.Write(slot)[0] = position;
            _genres.Write(slot)[0] = _genreNames.Intern(track.Genre);
            _popularity.Write(slot)[0] = (byte)track.Popularity;
            var wide = _wideFeatures.Write(slot);
            var raw = !FeatureCodec.TryEncode(track.Features, wide, _smallFeatures.Write(slot));
            if (raw)
            {
                var rawRow = _rawFeatureRows++;
                track.Features.CopyTo(_rawFeatures.Write(rawRow));
                wide[0] = rawRow;
            }

            _flags.Write(slot)[0] = (byte)((track.Explicit ? ExplicitFlag : 0) | (songAsText ? SongTextFlag : 0) | (raw ? RawFeaturesFlag : 0));
            _durations.Write(slot)[0] = track.DurationMs;
            unitVector.CopyTo(_vectors.Write(slot));
            _songs.Write(slot)[0] = song;
            _slotCount = slot + 1;

            var idHash = TrackIdHash(TrackIdBytes(slot));
            var songHash = SongHash(song);
            if (_slots.TryGet(rowId, out var previous))
            {
                var previousIdHash = TrackIdHash(TrackIdBytes(previous));
                if (previousIdHash == idHash && TrackIdBytes(previous).SequenceEqual(TrackIdBytes(slot)))
                {
                    _byTrackId.Replace(idHash, previous, slot);
                }
                else
                {
                    _byTrackId.Remove(previousIdHash, previous);
                    AddTrackId(idHash, slot);
                }

                var previousSong = _songs.Read(previous)[0];
                if (previousSong == song)
                {
                    _bySong.Replace(songHash, previous, slot);
                }
                else
                {
                    _bySong.Remove(SongHash(previousSong), previous);
                    _songCount -= HasVersion(previousSong, rowId) ? 0 : 1;
                    _songCount += HasVersion(song, rowId) ? 0 : 1;
                    _bySong.Add(songHash, slot);
                }
            }
            else
            {
                AddTrackId(idHash, slot);
                _songCount += HasVersion(song, rowId) ? 0 : 1;
                _bySong.Add(songHash, slot);
                _count++;
            }

            _slots.Set(rowId, slot);
        }
    }

    /// <summary>Removes a row (one writer at a time); its slot stays behind as garbage.</summary>
    internal void Remove(long rowId)
    {
        lock (_write)
        {
            if (!_slots.TryGet(rowId, out var slot))
            {
                return;
            }

            _slots.Remove(rowId);
            _byTrackId.Remove(TrackIdHash(TrackIdBytes(slot)), slot);
            var song = _songs.Read(slot)[0];
            _bySong.Remove(SongHash(song), slot);
            _songCount -= HasVersion(song, rowId) ? 0 : 1;
            _count--;
        }
    }

    internal ReadOnlySpan<byte> Record(int slot) => _arena.From(_records.Read(slot)[0]);

    internal ReadOnlySpan<byte> TrackIdBytes(int slot) => TrackRecord.TrackId(Record(slot));

    internal long RowIdOf(int slot) => _rowIds.Read(slot)[0];

    internal int GenreIdOf(int slot) => _genres.Read(slot)[0];

    internal string GenreName(int genreId) => _genreNames[genreId];

    internal string ArtistName(int artistId) => _artistNames[artistId];

    internal int PopularityOf(int slot) => _popularity.Read(slot)[0];

    internal bool ExplicitOf(int slot) => (_flags.Read(slot)[0] & ExplicitFlag) != 0;

    internal long DurationOf(int slot) => _durations.Read(slot)[0];

    internal double FeatureOf(int slot, int feature) =>
        (_flags.Read(slot)[0] & RawFeaturesFlag) != 0
            ? _rawFeatures.Read(_wideFeatures.Read(slot)[0])[feature]
            : FeatureCodec.Decode(feature, _wideFeatures.Read(slot), _smallFeatures.Read(slot));

    internal ReadOnlySpan<float> VectorOf(int slot) => _vectors.Read(slot);

    internal UInt128 SongOf(int slot) => _songs.Read(slot)[0];

    internal string SongIdOf(int slot) =>
        (_flags.Read(slot)[0] & SongTextFlag) != 0 ? TrackRecord.SongText(Record(slot)) : SongIdCodec.Text(SongOf(slot));

    /// <summary>The hash the table keys a track id by (<see cref="TrackFacts.TrackIdHash"/>).</summary>
    internal int TrackIdHash(string trackId)
    {
        var length = TrackRecord.ByteCount(trackId);
        Span<byte> key = length <= 512 ? stackalloc byte[length] : new byte[length];
        TrackRecord.Encode(trackId, key);
        return TrackIdHash(key);
    }

    internal int TrackIdHash(ReadOnlySpan<byte> trackId) => (int)XxHash3.HashToUInt64(trackId, _hashSeed);

    private int SongHash(UInt128 song) => (int)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(new ReadOnlySpan<UInt128>(in song)), _hashSeed);

    // The last row written under a track id owns it, as a catalogue upsert by track id would.
    private void AddTrackId(int hash, int slot)
    {
        var key = TrackIdBytes(slot);
        var entries = _byTrackId.Entries;
        var mask = entries.Length - 1;
        for (var i = hash & mask; entries[i] != 0; i = (i + 1) & mask)
        {
            if (entries[i] > 0 && TrackIdBytes(entries[i] - 1).SequenceEqual(key))
            {
                _byTrackId.Replace(hash, entries[i] - 1, slot);
                return;
            }
        }

        _byTrackId.Add(hash, slot);
    }

    // Whether a row other than this one is a live version of the song: the probe of VersionsOf into two places, so it
    // stops at a third live row (it runs on every upsert, and a song with many versions would otherwise be listed whole).
    private bool HasVersion(UInt128 song, long exceptRowId)
    {
        Span<long> rows = stackalloc long[2];
        var count = VersionsOf(song, rows);
        return count < 0 || rows[..count].ContainsAnyExcept(exceptRowId);
    }
}
