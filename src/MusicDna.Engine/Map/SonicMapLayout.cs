using MusicDna.Core.Numerics;
using MusicDna.Index;

namespace MusicDna.Engine.Map;

/// <summary>
/// Lays the catalogue out in 2-d so that tracks with similar latent vectors sit together: UMAP's construction
/// (McInnes, Healy and Melville 2018) written out here, since no maintained .NET package provides it. The exact
/// k-nearest-neighbour graph comes from the snapshot's own index (cosine); each track's neighbour distances become
/// fuzzy memberships (UMAP's smooth k-NN distances), symmetrised by fuzzy union; the 2-d layout starts from the
/// vectors' first two principal components and is refined by UMAP's stochastic gradient descent with negative
/// sampling, using the Cauchy kernel 1 / (1 + d²) (UMAP with a = b = 1), which needs no powers in the inner loop.
/// Deterministic: one thread and a seeded <see cref="SplitMix64"/>, so the same vectors give the same map.
/// </summary>
public static class SonicMapLayout
{
    public const string Name = "umap-cauchy-knn15";

    private const int Neighbours = 15;
    private const int NegativeSamples = 5;
    private const int SearchBatch = 4096;
    private const ulong Seed = 0x5EED_0F_50_1C_D1A;

    /// <summary>Epochs of gradient descent: UMAP's own choice (500 for small data, 200 from 10,000 points).</summary>
    internal static int EpochsFor(int points) => points <= 10_000 ? 500 : 200;

    /// <summary>
    /// Positions for every vector of <paramref name="index"/>: <paramref name="rowIds"/> and their unit vectors
    /// (row-major) must be exactly what it holds.
    /// </summary>
    public static (float[] X, float[] Y) Compute(VectorIndex index, IReadOnlyList<long> rowIds, ReadOnlySpan<float> unitVectors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(rowIds);
        var n = rowIds.Count;
        var dimension = index.Dimension;
        if (unitVectors.Length != n * dimension)
        {
            throw new ArgumentException($"{n} row ids and {unitVectors.Length} vector values do not line up (dimension {dimension}).");
        }

        var x = new float[n];
        var y = new float[n];
        if (n < 3)
        {
            // Nothing to lay out: one or two points on a line.
            for (var i = 0; i < n; i++)
            {
                x[i] = i;
            }

            return (x, y);
        }

        Initialise(unitVectors, dimension, x, y);
        var k = Math.Min(Neighbours, n - 1);
        var (neighbours, distances) = NearestNeighbours(index, rowIds, unitVectors, k, cancellationToken);
        var graph = FuzzyGraph(neighbours, distances, n, k);
        Optimise(graph, x, y, EpochsFor(n), cancellationToken);
        return (x, y);
    }

    /// <summary>The first two principal components, scaled to span [-10, 10] as UMAP scales its initial layout.</summary>
    private static void Initialise(ReadOnlySpan<float> vectors, int dimension, float[] x, float[] y)
    {
        var n = x.Length;
        float[] projected;
        if (dimension >= 2)
        {
            projected = Pca.Fit(vectors, dimension, 2).Transform(vectors);
        }
        else
        {
            projected = new float[n * 2];
            for (var i = 0; i < n; i++)
            {
                projected[i * 2] = vectors[i];
            }
        }

        var range = 0f;
        for (var i = 0; i < projected.Length; i++)
        {
            range = Math.Max(range, Math.Abs(projected[i]));
        }

        var scale = range > 0 ? 10f / range : 1f;
        var jitter = new SplitMix64(Seed);
        for (var i = 0; i < n; i++)
        {
            // A touch of noise separates identical vectors, which would otherwise stay stacked.
            x[i] = (projected[i * 2] * scale) + (float)((jitter.NextDouble() - 0.5) * 1e-3);
            y[i] = (projected[(i * 2) + 1] * scale) + (float)((jitter.NextDouble() - 0.5) * 1e-3);
        }
    }

    /// <summary>Each point's k nearest other points (local indexes) and their cosine distances, nearest first.</summary>
    private static (int[] Neighbours, float[] Distances) NearestNeighbours(
        VectorIndex index, IReadOnlyList<long> rowIds, ReadOnlySpan<float> vectors, int k, CancellationToken cancellationToken)
    {
        var n = rowIds.Count;
        var dimension = index.Dimension;
        var local = new Dictionary<long, int>(n);
        for (var i = 0; i < n; i++)
        {
            local[rowIds[i]] = i;
        }

        var neighbours = new int[n * k];
        var distances = new float[n * k];
        for (var start = 0; start < n; start += SearchBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(SearchBatch, n - start);
            var hits = index.SearchMany(vectors.Slice(start * dimension, count * dimension), k + 1);
            for (var q = 0; q < count; q++)
            {
                var i = start + q;
                var found = 0;
                foreach (var hit in hits[q])
                {
                    if (found == k)
                    {
                        break;
                    }

                    if (hit.Id == rowIds[i] || !local.TryGetValue(hit.Id, out var j))
                    {
                        continue;
                    }

                    neighbours[(i * k) + found] = j;
                    distances[(i * k) + found] = Math.Max(0f, 1f - hit.Score);
                    found++;
                }

                // Fewer hits than asked (never for an exact index holding every point): repeat the last one found.
                for (; found < k; found++)
                {
                    neighbours[(i * k) + found] = found > 0 ? neighbours[(i * k) + found - 1] : (i + 1) % n;
                    distances[(i * k) + found] = found > 0 ? distances[(i * k) + found - 1] : 1f;
                }
            }
        }

        return (neighbours, distances);
    }

    /// <summary>UMAP's fuzzy simplicial set: per-point memberships, then the fuzzy union a + b − ab of both directions.</summary>
    private static Graph FuzzyGraph(int[] neighbours, float[] distances, int n, int k)
    {
        var target = Math.Log2(k);
        var meanDistance = 0.0;
        foreach (var d in distances)
        {
            meanDistance += d;
        }

        meanDistance /= distances.Length;
        var memberships = new Dictionary<long, float>(n * k);
        for (var i = 0; i < n; i++)
        {
            var row = distances.AsSpan(i * k, k);
            var rho = float.MaxValue;
            foreach (var d in row)
            {
                if (d > 0)
                {
                    rho = Math.Min(rho, d);
                }
            }

            rho = rho == float.MaxValue ? 0 : rho;
            var sigma = SmoothDistance(row, rho, target);
            sigma = Math.Max(sigma, 1e-3 * meanDistance);
            for (var m = 0; m < k; m++)
            {
                var j = neighbours[(i * k) + m];
                if (j == i)
                {
                    continue;
                }

                var weight = (float)Math.Exp(-Math.Max(0, row[m] - rho) / sigma);
                var (a, b) = i < j ? (i, j) : (j, i);
                var key = ((long)a * n) + b;
                // Fuzzy union of the two directed memberships: a + b − ab (a repeated neighbour keeps its largest).
                memberships[key] = memberships.TryGetValue(key, out var other) ? other + weight - (other * weight) : weight;
            }
        }

        // Both directions of every edge, as UMAP's symmetric matrix holds them: each end then gets its negative samples.
        // (A dictionary that is only ever added to enumerates in insertion order, so the edge order is deterministic.)
        var heads = new int[memberships.Count * 2];
        var tails = new int[memberships.Count * 2];
        var weights = new float[memberships.Count * 2];
        var e = 0;
        foreach (var (key, weight) in memberships)
        {
            var a = (int)(key / n);
            var b = (int)(key % n);
            (heads[e], tails[e], weights[e]) = (a, b, weight);
            (heads[e + 1], tails[e + 1], weights[e + 1]) = (b, a, weight);
            e += 2;
        }

        return new Graph(heads, tails, weights);
    }

    /// <summary>The σ at which a point's memberships sum to log2(k) (binary search, as UMAP's smooth_knn_dist).</summary>
    private static double SmoothDistance(ReadOnlySpan<float> row, float rho, double target)
    {
        double lo = 0, hi = double.PositiveInfinity, mid = 1;
        for (var iteration = 0; iteration < 64; iteration++)
        {
            var sum = 0.0;
            foreach (var d in row)
            {
                var excess = d - rho;
                sum += excess > 0 ? Math.Exp(-excess / mid) : 1;
            }

            if (Math.Abs(sum - target) < 1e-5)
            {
                break;
            }

            if (sum > target)
            {
                hi = mid;
                mid = (lo + hi) / 2;
            }
            else
            {
                lo = mid;
                mid = double.IsPositiveInfinity(hi) ? mid * 2 : (lo + hi) / 2;
            }
        }

        return mid;
    }

    /// <summary>UMAP's SGD: each edge sampled in proportion to its weight, attracting its ends; negative samples repel.</summary>
    private static void Optimise(Graph graph, float[] x, float[] y, int epochs, CancellationToken cancellationToken)
    {
        var n = x.Length;
        var edges = graph.Heads.Length;
        var maxWeight = 0f;
        foreach (var w in graph.Weights)
        {
            maxWeight = Math.Max(maxWeight, w);
        }

        var epochsPerSample = new float[edges];
        var nextSample = new float[edges];
        var epochsPerNegative = new float[edges];
        var nextNegative = new float[edges];
        for (var e = 0; e < edges; e++)
        {
            // Edges too weak to be sampled once in the whole run are left out, as UMAP prunes them.
            epochsPerSample[e] = graph.Weights[e] * epochs < maxWeight ? float.PositiveInfinity : maxWeight / graph.Weights[e];
            nextSample[e] = epochsPerSample[e];
            epochsPerNegative[e] = epochsPerSample[e] / NegativeSamples;
            nextNegative[e] = epochsPerNegative[e];
        }

        var random = new SplitMix64(Seed + 1);
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var alpha = 1f - ((epoch - 1) / (float)epochs);
            for (var e = 0; e < edges; e++)
            {
                if (nextSample[e] > epoch)
                {
                    continue;
                }

                var i = graph.Heads[e];
                var j = graph.Tails[e];
                var dx = x[i] - x[j];
                var dy = y[i] - y[j];
                var dist2 = (dx * dx) + (dy * dy);
                if (dist2 > 0)
                {
                    // Attraction: gradient of log(1 / (1 + d²)).
                    var coefficient = -2f / (1f + dist2);
                    var gx = Clip(coefficient * dx) * alpha;
                    var gy = Clip(coefficient * dy) * alpha;
                    x[i] += gx;
                    y[i] += gy;
                    x[j] -= gx;
                    y[j] -= gy;
                }

                nextSample[e] += epochsPerSample[e];
                var negatives = (int)((epoch - nextNegative[e]) / epochsPerNegative[e]);
                for (var s = 0; s < negatives; s++)
                {
                    var m = random.NextBelow(n);
                    if (m == i)
                    {
                        continue;
                    }

                    var nx = x[i] - x[m];
                    var ny = y[i] - y[m];
                    var nd2 = (nx * nx) + (ny * ny);
                    // Repulsion: gradient of log(1 − 1 / (1 + d²)), with UMAP's 0.001 guard; coincident points push at the clip.
                    var coefficient = nd2 > 0 ? 2f / ((0.001f + nd2) * (1f + nd2)) : 0f;
                    x[i] += (nd2 > 0 ? Clip(coefficient * nx) : 4f) * alpha;
                    y[i] += (nd2 > 0 ? Clip(coefficient * ny) : 4f) * alpha;
                }

                nextNegative[e] += negatives * epochsPerNegative[e];
            }
        }
    }

    private static float Clip(float value) => Math.Clamp(value, -4f, 4f);

    /// <summary>The symmetric fuzzy graph as an edge list (each undirected edge in both directions).</summary>
    private sealed record Graph(int[] Heads, int[] Tails, float[] Weights);
}
