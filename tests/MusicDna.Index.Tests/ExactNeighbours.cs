namespace MusicDna.Index.Tests;

/// <summary>Brute-force cosine top k in double precision: the reference every index kind is checked against.</summary>
internal static class ExactNeighbours
{
    public static List<SearchHit> TopK(float[] data, long[] ids, ReadOnlySpan<float> query, int k, Func<long, bool>? allowed = null)
    {
        var dimension = query.Length;
        var q = RandomVectors.Normalised(query);
        var scored = new List<SearchHit>(ids.Length);
        for (var row = 0; row < ids.Length; row++)
        {
            if (allowed is not null && !allowed(ids[row]))
            {
                continue;
            }

            var v = RandomVectors.Normalised(data.AsSpan(row * dimension, dimension));
            var dot = 0d;
            for (var d = 0; d < dimension; d++)
            {
                dot += (double)q[d] * v[d];
            }

            scored.Add(new SearchHit(ids[row], (float)dot));
        }

        return [.. scored.OrderByDescending(hit => hit.Score).Take(k)];
    }

    /// <summary>The share of the exact top-k ids that the approximate results found, over all queries.</summary>
    public static double Recall(IReadOnlyList<IReadOnlyList<SearchHit>> approximate, IReadOnlyList<IReadOnlyList<SearchHit>> exact)
    {
        var found = 0;
        var total = 0;
        for (var q = 0; q < exact.Count; q++)
        {
            var truth = exact[q].Select(hit => hit.Id).ToHashSet();
            found += approximate[q].Count(hit => truth.Contains(hit.Id));
            total += truth.Count;
        }

        return (double)found / total;
    }
}
