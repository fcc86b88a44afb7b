using System.Collections.Concurrent;

namespace MusicDna.Engine.Map;

/// <summary>
/// The sonic map of one snapshot: a 2-d position for each of its tracks, keyed by catalogue row id. The layout is
/// computed once when the model is published (<see cref="SonicMapLayout"/>); tracks ingested later are placed beside
/// their neighbours (<see cref="NeighbourPlacement"/>). Written by the serving publisher only, read lock-free.
/// </summary>
public sealed class SonicMap
{
    private readonly ConcurrentDictionary<long, MapPosition> _positions = new();

    public int Count => _positions.Count;

    public bool TryGet(long rowId, out MapPosition position) => _positions.TryGetValue(rowId, out position);

    internal void Set(IReadOnlyList<long> rowIds, ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        for (var i = 0; i < rowIds.Count; i++)
        {
            _positions[rowIds[i]] = new MapPosition(x[i], y[i]);
        }
    }

    internal void Remove(long rowId) => _positions.TryRemove(rowId, out _);
}
