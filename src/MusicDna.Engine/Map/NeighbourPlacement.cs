using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Map;

/// <summary>
/// Places tracks that were not laid out with their model (ingested after it was published) on its sonic map: at the
/// similarity-weighted mean of the positions of their nearest already placed tracks, as UMAP places new points before
/// refining them. The layout itself is not recomputed, so every other track keeps its place.
/// </summary>
public static class NeighbourPlacement
{
    private const int Neighbours = 8;

    // Deeper than Neighbours: the track itself and tracks ingested in the same batch (not placed yet) are skipped.
    private const int SearchDepth = 32;

    /// <summary>Positions for <paramref name="rowIds"/>, whose unit vectors (row-major) are already in the snapshot's index.</summary>
    public static (float[] X, float[] Y) Place(ModelSnapshot snapshot, IReadOnlyList<long> rowIds, ReadOnlySpan<float> unitVectors)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(rowIds);
        var x = new float[rowIds.Count];
        var y = new float[rowIds.Count];
        if (rowIds.Count == 0)
        {
            return (x, y);
        }

        var exclude = rowIds.ToHashSet();
        var hits = snapshot.Index.SearchMany(unitVectors, SearchDepth);
        for (var i = 0; i < rowIds.Count; i++)
        {
            double sumX = 0, sumY = 0, sumWeight = 0;
            var used = 0;
            foreach (var hit in hits[i])
            {
                if (used == Neighbours)
                {
                    break;
                }

                if (exclude.Contains(hit.Id) || !snapshot.Map.TryGet(hit.Id, out var position))
                {
                    continue;
                }

                // Closer neighbours count more; a neighbour pointing away (cosine ≤ 0) barely counts.
                var weight = Math.Max(hit.Score, 1e-3f);
                sumX += weight * position.X;
                sumY += weight * position.Y;
                sumWeight += weight;
                used++;
            }

            // No placed neighbour at all (a map of only new tracks): the layout's centre, where its PCA start is.
            x[i] = sumWeight > 0 ? (float)(sumX / sumWeight) : 0f;
            y[i] = sumWeight > 0 ? (float)(sumY / sumWeight) : 0f;
        }

        return (x, y);
    }
}
