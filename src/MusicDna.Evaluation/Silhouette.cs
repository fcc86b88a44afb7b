namespace MusicDna.Evaluation;

/// <summary>
/// The exact mean silhouette coefficient (Rousseeuw 1987) with Euclidean distance, as scikit-learn's
/// <c>silhouette_score</c>: for each row, a = mean distance to the rest of its cluster, b = the smallest mean
/// distance to another cluster, s = (b − a) / max(a, b), and s = 0 for a row alone in its cluster. O(n²) distances.
/// </summary>
public static class Silhouette
{
    public static double Score(ReadOnlySpan<float> rows, int dimension, ReadOnlySpan<int> labels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        var n = labels.Length;
        if (rows.Length != n * dimension)
        {
            throw new ArgumentException($"Expected {n} rows of {dimension} values, got {rows.Length} values.", nameof(rows));
        }

        var k = 0;
        foreach (var label in labels)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(label, nameof(labels));
            k = Math.Max(k, label + 1);
        }

        var sizes = new int[k];
        foreach (var label in labels)
        {
            sizes[label]++;
        }

        if (sizes.Count(s => s > 0) < 2)
        {
            throw new ArgumentException("The silhouette needs at least two non-empty clusters.", nameof(labels));
        }

        // distanceSums[i * k + c]: the sum of distances from row i to every row of cluster c.
        var distanceSums = new double[n * k];
        for (var i = 0; i < n; i++)
        {
            var a = rows.Slice(i * dimension, dimension);
            for (var j = i + 1; j < n; j++)
            {
                var distance = Math.Sqrt(KMeans.SquaredDistance(a, rows.Slice(j * dimension, dimension)));
                distanceSums[(i * k) + labels[j]] += distance;
                distanceSums[(j * k) + labels[i]] += distance;
            }
        }

        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            var own = labels[i];
            if (sizes[own] == 1)
            {
                continue;
            }

            var a = distanceSums[(i * k) + own] / (sizes[own] - 1);
            var b = double.PositiveInfinity;
            for (var c = 0; c < k; c++)
            {
                if (c != own && sizes[c] > 0)
                {
                    b = Math.Min(b, distanceSums[(i * k) + c] / sizes[c]);
                }
            }

            var denominator = Math.Max(a, b);
            total += denominator > 0 ? (b - a) / denominator : 0;
        }

        return total / n;
    }
}
