using MusicDna.Core.Numerics;

namespace MusicDna.Evaluation;

/// <summary>
/// Lloyd's k-means with k-means++ seeding (Arthur and Vassilvitskii), Euclidean, seeded and single-threaded so the
/// same input and seed always give the same clusters.
/// </summary>
public static class KMeans
{
    public const int DefaultMaxIterations = 100;

    public static KMeansResult Fit(
        ReadOnlySpan<float> rows, int dimension, int k, int seed, int maxIterations = DefaultMaxIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        if (rows.Length % dimension != 0)
        {
            throw new ArgumentException($"Length {rows.Length} is not a whole number of {dimension}-value rows.", nameof(rows));
        }

        var n = rows.Length / dimension;
        if (n < k)
        {
            throw new ArgumentException($"k-means with k = {k} needs at least {k} rows, got {n}.", nameof(rows));
        }

        var centroids = SeedPlusPlus(rows, dimension, n, k, seed);
        var labels = new int[n];
        Array.Fill(labels, -1);
        var sums = new double[k * dimension];
        var counts = new int[k];
        var iterations = 0;
        for (var changed = true; changed && iterations < maxIterations; iterations++)
        {
            changed = false;
            Array.Clear(sums);
            Array.Clear(counts);
            for (var i = 0; i < n; i++)
            {
                var row = rows.Slice(i * dimension, dimension);
                var (nearest, _) = Nearest(row, centroids, dimension, k);
                if (nearest != labels[i])
                {
                    labels[i] = nearest;
                    changed = true;
                }

                counts[nearest]++;
                for (var j = 0; j < dimension; j++)
                {
                    sums[(nearest * dimension) + j] += row[j];
                }
            }

            // An emptied cluster keeps its old centroid (it may win rows back next round).
            for (var c = 0; c < k; c++)
            {
                if (counts[c] > 0)
                {
                    for (var j = 0; j < dimension; j++)
                    {
                        centroids[(c * dimension) + j] = (float)(sums[(c * dimension) + j] / counts[c]);
                    }
                }
            }
        }

        var inertia = 0.0;
        for (var i = 0; i < n; i++)
        {
            var row = rows.Slice(i * dimension, dimension);
            var (nearest, distance) = Nearest(row, centroids, dimension, k);
            labels[i] = nearest;
            inertia += distance;
        }

        return new KMeansResult(centroids, labels, inertia, iterations);
    }

    /// <summary>k-means++: the first centre uniformly, each next one with probability proportional to D².</summary>
    private static float[] SeedPlusPlus(ReadOnlySpan<float> rows, int dimension, int n, int k, int seed)
    {
        var random = new SplitMix64(unchecked((ulong)seed));
        var centroids = new float[k * dimension];
        var first = random.NextBelow(n);
        rows.Slice(first * dimension, dimension).CopyTo(centroids);
        var nearestSquared = new double[n];
        for (var i = 0; i < n; i++)
        {
            nearestSquared[i] = SquaredDistance(rows.Slice(i * dimension, dimension), centroids.AsSpan(0, dimension));
        }

        for (var c = 1; c < k; c++)
        {
            var total = nearestSquared.Sum();
            var chosen = n - 1;
            if (total > 0)
            {
                var target = random.NextDouble() * total;
                var running = 0.0;
                for (var i = 0; i < n; i++)
                {
                    running += nearestSquared[i];
                    if (running > target)
                    {
                        chosen = i;
                        break;
                    }
                }
            }
            else
            {
                // Every row sits on a centre already: any row will do.
                chosen = random.NextBelow(n);
            }

            var centre = centroids.AsSpan(c * dimension, dimension);
            rows.Slice(chosen * dimension, dimension).CopyTo(centre);
            for (var i = 0; i < n; i++)
            {
                nearestSquared[i] = Math.Min(nearestSquared[i], SquaredDistance(rows.Slice(i * dimension, dimension), centre));
            }
        }

        return centroids;
    }

    private static (int Index, double SquaredDistance) Nearest(ReadOnlySpan<float> row, float[] centroids, int dimension, int k)
    {
        var best = 0;
        var bestDistance = double.PositiveInfinity;
        for (var c = 0; c < k; c++)
        {
            var distance = SquaredDistance(row, centroids.AsSpan(c * dimension, dimension));
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = c;
            }
        }

        return (best, bestDistance);
    }

    internal static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var j = 0; j < a.Length; j++)
        {
            var d = (double)a[j] - b[j];
            sum += d * d;
        }

        return sum;
    }
}
