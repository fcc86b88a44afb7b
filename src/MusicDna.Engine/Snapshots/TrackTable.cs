using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace MusicDna.Engine.Snapshots;

/// <summary>
/// The in-memory facts of every indexed track under one snapshot, keyed by catalogue row id (= index id).
/// Written only by <see cref="ModelSnapshot"/>, before its index, so every id a search finds has its facts here.
/// Filters read it per candidate at memory speed instead of querying the catalogue.
/// </summary>
/// <remarks>Thread-safe: lock-free reads and enumeration while ingest upserts.</remarks>
public sealed class TrackTable
{
    private readonly ConcurrentDictionary<long, TrackFacts> _rows = new();

    // Track id → row id, so a Recommend seed is found without a catalogue query. A track keeps its row id for life
    // (upsert by track id), so an entry goes stale only when its track is removed, and removal drops it.
    private readonly ConcurrentDictionary<string, long> _rowIdByTrackId = new(StringComparer.Ordinal);

    public int Count => _rows.Count;

    /// <summary>Every row, in no particular order (a moment-in-time view while ingest runs).</summary>
    public IEnumerable<KeyValuePair<long, TrackFacts>> Rows => _rows;

    public bool TryGet(long rowId, [MaybeNullWhen(false)] out TrackFacts facts) => _rows.TryGetValue(rowId, out facts);

    /// <summary>The row id and facts of the track with this track id, when it is in the table.</summary>
    public bool TryFind(string trackId, out long rowId, [MaybeNullWhen(false)] out TrackFacts facts)
    {
        facts = null;
        return _rowIdByTrackId.TryGetValue(trackId, out rowId) && _rows.TryGetValue(rowId, out facts);
    }

    internal void Upsert(long rowId, TrackFacts facts)
    {
        _rowIdByTrackId[facts.TrackId] = rowId;
        _rows[rowId] = facts;
    }

    internal void Remove(long rowId)
    {
        if (_rows.TryRemove(rowId, out var facts))
        {
            _rowIdByTrackId.TryRemove(new KeyValuePair<string, long>(facts.TrackId, rowId));
        }
    }
}
