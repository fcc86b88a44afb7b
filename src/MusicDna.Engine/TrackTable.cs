using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using MusicDna.Index;

namespace MusicDna.Engine;

/// <summary>
/// The in-memory facts of every indexed track under one snapshot, keyed by catalogue row id (= index id).
/// Kept beside the index by <see cref="CatalogueIndexer"/> and written before it, so every id a search finds
/// has its facts here. Filters read it per candidate at memory speed instead of querying SQLite.
/// </summary>
/// <remarks>Thread-safe: lock-free reads and enumeration while ingest upserts.</remarks>
public sealed class TrackTable
{
    private static readonly int TempoIndex = FeatureSchema.Names.IndexOf("tempo");

    private readonly ConcurrentDictionary<long, TrackFacts> _rows = new();

    // Track id → row id, so a Recommend seed is found without a SQLite query. A track keeps its row id for life
    // (upsert by track id), so an entry never goes stale.
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

    /// <summary>Adds or replaces rows; <paramref name="vectors"/> is row-major, one raw latent vector per row.</summary>
    public void Upsert(IReadOnlyList<long> rowIds, IReadOnlyList<Track> tracks, ReadOnlySpan<float> vectors, int dimension)
    {
        ArgumentNullException.ThrowIfNull(rowIds);
        ArgumentNullException.ThrowIfNull(tracks);
        for (var i = 0; i < rowIds.Count; i++)
        {
            Upsert(rowIds[i], tracks[i], vectors.Slice(i * dimension, dimension));
        }
    }

    public void Upsert(long rowId, Track track, ReadOnlySpan<float> vector)
    {
        ArgumentNullException.ThrowIfNull(track);
        var normalised = vector.ToArray();
        VectorMath.Normalize(normalised);
        _rowIdByTrackId[track.TrackId] = rowId;
        _rows[rowId] = new TrackFacts(
            track.TrackId, track.Genre, track.Artists, track.Popularity, track.Explicit, track.Features[TempoIndex], normalised,
            track);
    }
}
