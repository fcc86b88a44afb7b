using MusicDna.Core.Numerics;

namespace MusicDna.Evaluation;

/// <summary>
/// A 2-d picture of a latent space: a seeded sample of tracks from the most mutually distant genres, projected by
/// PCA onto the two main axes of their L2-normalised vectors (the cosine space the index serves). PCA-2d rather than
/// t-SNE: linear and faithful to distances, so what looks apart is apart, though it shows less local structure.
/// </summary>
public sealed record LatentMap(string Projection, IReadOnlyList<string> GenreNames, IReadOnlyList<MapPoint> Points)
{
    public const string ProjectionName = "PCA-2d of the L2-normalised served latents";

    // A genre needs this many tracks to have a centroid worth trusting.
    private const int MinTracksPerGenre = 30;

    public static LatentMap Build(
        float[] vectors, int dimensions, IReadOnlyList<int> genres, IReadOnlyList<string> genreNames, int genreCount, int sampleSize, int seed)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(genres);
        ArgumentNullException.ThrowIfNull(genreNames);
        var unit = GenreAgreement.Normalised(vectors, dimensions);
        var chosen = MostSeparatedGenres(unit, dimensions, genres, genreNames.Count, genreCount);
        var members = Enumerable.Range(0, genres.Count).Where(i => chosen.Contains(genres[i])).ToArray();
        var sample = SeededSample.Pick(members, sampleSize, seed);
        var rows = new float[sample.Length * dimensions];
        for (var s = 0; s < sample.Length; s++)
        {
            unit.AsSpan(sample[s] * dimensions, dimensions).CopyTo(rows.AsSpan(s * dimensions));
        }

        var projected = Pca.Fit(rows, dimensions, 2).Transform(rows);
        var legend = chosen.Select(g => genreNames[g]).ToList();
        var points = sample.Select((track, s) => new MapPoint(projected[2 * s], projected[(2 * s) + 1], chosen.IndexOf(genres[track]))).ToList();
        return new LatentMap(ProjectionName, legend, points);
    }

    /// <summary>
    /// Greedy farthest-point choice among genre centroids: first the genre farthest from the overall centroid, then
    /// each time the genre whose nearest already-chosen centroid is farthest away.
    /// </summary>
    internal static List<int> MostSeparatedGenres(float[] unit, int dimensions, IReadOnlyList<int> genres, int genreTotal, int count)
    {
        var sums = new double[genreTotal * dimensions];
        var sizes = new int[genreTotal];
        var overall = new double[dimensions];
        for (var i = 0; i < genres.Count; i++)
        {
            sizes[genres[i]]++;
            for (var j = 0; j < dimensions; j++)
            {
                sums[(genres[i] * dimensions) + j] += unit[(i * dimensions) + j];
                overall[j] += unit[(i * dimensions) + j];
            }
        }

        var candidates = Enumerable.Range(0, genreTotal).Where(g => sizes[g] >= Math.Min(MinTracksPerGenre, sizes.Max())).ToList();
        double Distance(int g, double[] point) =>
            Math.Sqrt(Enumerable.Range(0, dimensions).Sum(j => Math.Pow((sums[(g * dimensions) + j] / sizes[g]) - point[j], 2)));
        double[] Centroid(int g) => [.. Enumerable.Range(0, dimensions).Select(j => sums[(g * dimensions) + j] / sizes[g])];

        var mean = overall.Select(v => v / genres.Count).ToArray();
        var chosen = new List<int> { candidates.MaxBy(g => Distance(g, mean)) };
        while (chosen.Count < Math.Min(count, candidates.Count))
        {
            var next = candidates.Where(g => !chosen.Contains(g)).MaxBy(g => chosen.Min(c => Distance(g, Centroid(c))));
            chosen.Add(next);
        }

        return chosen;
    }
}
