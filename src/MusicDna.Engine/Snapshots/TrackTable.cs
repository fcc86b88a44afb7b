using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace MusicDna.Engine.Snapshots;

/// <summary>
/// The in-memory facts of every indexed track under one snapshot, keyed by catalogue row id (= index id), and the
/// rows of each song. Written only by <see cref="ModelSnapshot"/>, before its index, so every id a search finds has
/// its facts here. Filters read it per candidate at memory speed instead of querying the catalogue.
/// </summary>
/// <remarks>Thread-safe: lock-free reads and enumeration while ingest upserts (one writer at a time).</remarks>
public sealed class TrackTable
{
    private readonly ConcurrentDictionary<long, TrackFacts> _rows = new();

    // Track id → row id, so a Recommend seed is found without a catalogue query. A track keeps its row id for life
    // (upsert by track id), so an entry goes stale only when its track is removed, and removal drops it.
    private readonly ConcurrentDictionary<string, long> _rowIdByTrackId = new(StringComparer.Ordinal);

    // Song → its rows, replaced whole on every change, so a reader always sees a consistent array.
    private readonly ConcurrentDictionary<string, long[]> _rowIdsBySong = new(StringComparer.Ordinal);

    public int Count => _rows.Count;

    /// <summary>Distinct songs among the rows.</summary>
    public int SongCount => _rowIdsBySong.Count;

    /// <summary>Every row, in no particular order (a moment-in-time view while ingest runs).</summary>
    public IEnumerable<KeyValuePair<long, TrackFacts>> Rows => _rows;

    public bool TryGet(long rowId, [MaybeNullWhen(false)] out TrackFacts facts) => _rows.TryGetValue(rowId, out facts);

    /// <summary>The row id and facts of the track with this track id, when it is in the table.</summary>
    public bool TryFind(string trackId, out long rowId, [MaybeNullWhen(false)] out TrackFacts facts)
    {
        facts = null;
        return _rowIdByTrackId.TryGetValue(trackId, out rowId) && _rows.TryGetValue(rowId, out facts);
    }

    /// <summary>The rows of every version of this song in the table (empty for a song it does not hold).</summary>
    public IReadOnlyList<long> VersionsOf(string songId) => _rowIdsBySong.TryGetValue(songId, out var rows) ? rows : [];

    internal void Upsert(long rowId, TrackFacts facts)
    {
        if (_rows.TryGetValue(rowId, out var previous) && previous.SongId != facts.SongId)
        {
            LeaveSong(previous.SongId, rowId);
        }

        _rowIdByTrackId[facts.TrackId] = rowId;
        _rows[rowId] = facts;
        _rowIdsBySong.AddOrUpdate(facts.SongId, [rowId], (_, rows) => rows.Contains(rowId) ? rows : [.. rows, rowId]);
    }

    internal void Remove(long rowId)
    {
        if (_rows.TryRemove(rowId, out var facts))
        {
            _rowIdByTrackId.TryRemove(new KeyValuePair<string, long>(facts.TrackId, rowId));
            LeaveSong(facts.SongId, rowId);
        }
    }

    private void LeaveSong(string songId, long rowId)
    {
        if (!_rowIdsBySong.TryGetValue(songId, out var rows))
        {
            return;
        }

        var rest = rows.Where(r => r != rowId).ToArray();
        if (rest.Length == 0)
        {
            _rowIdsBySong.TryRemove(new KeyValuePair<string, long[]>(songId, rows));
        }
        else
        {
            _rowIdsBySong[songId] = rest;
        }
    }
}
