using MusicDna.Index;

namespace MusicDna.IndexBench;

/// <summary>
/// A catalogue of any size whose vectors resemble real latents. Around a model: an adaptive kernel density estimate
/// of the real tracks' normalised latents (pick a real track at random, add isotropic Gaussian noise whose scale is
/// that track's distance to its 10th nearest real neighbour ÷ √d, normalise), each vector keeping its parent's genre.
/// The mixture: 256 Gaussian blobs of random spread around centres biased to the positive orthant, 114 genres.
/// </summary>
internal sealed class SyntheticCatalogue
{
    private const int Neighbour = 10;
    private readonly float[] _parents;
    private readonly float[] _bandwidths;
    private readonly int[] _parentGenres;

    private SyntheticCatalogue(float[] parents, float[] bandwidths, int[] parentGenres, int dimension, int genreCount)
    {
        _parents = parents;
        _bandwidths = bandwidths;
        _parentGenres = parentGenres;
        Dimension = dimension;
        GenreCount = genreCount;
    }

    public int Dimension { get; }

    public int GenreCount { get; }

    public static SyntheticCatalogue AroundLatents(ModelLatents latents)
    {
        var d = latents.Dimension;
        var unit = (float[])latents.Vectors.Clone();
        VectorMath.NormalizeRows(unit, d);
        var bandwidths = new float[latents.Count];
        using (var index = new VectorIndex(d))
        {
            index.Upsert([.. Enumerable.Range(0, latents.Count).Select(i => (long)i)], unit);
            const int batch = 4_096;
            for (var start = 0; start < latents.Count; start += batch)
            {
                var rows = Math.Min(batch, latents.Count - start);
                var results = index.SearchMany(unit.AsSpan(start * d, rows * d), Neighbour + 1);
                for (var i = 0; i < rows; i++)
                {
                    var cosine = Math.Clamp(results[i][^1].Score, -1f, 1f);
                    bandwidths[start + i] = (float)(Math.Sqrt(Math.Max(0, 2 - (2 * cosine))) / Math.Sqrt(d));
                }
            }
        }

        // Tracks listed twice have identical latents (distance 0): give them a tenth of the typical bandwidth.
        var floor = 0.1f * bandwidths.Order().ElementAt(bandwidths.Length / 2);
        for (var i = 0; i < bandwidths.Length; i++)
        {
            bandwidths[i] = Math.Max(bandwidths[i], floor);
        }

        return new SyntheticCatalogue(unit, bandwidths, latents.Genres, d, latents.GenreCount);
    }

    public static SyntheticCatalogue Mixture(int dimension, int seed)
    {
        const int blobs = 256;
        const int genres = 114;
        var random = new Random(seed);
        var centres = new float[blobs * dimension];
        var spreads = new float[blobs];
        var blobGenres = new int[blobs];
        for (var c = 0; c < blobs; c++)
        {
            for (var j = 0; j < dimension; j++)
            {
                centres[(c * dimension) + j] = (float)((Math.Abs(Gaussian(random)) * 0.8) + (0.2 * Gaussian(random)));
            }

            spreads[c] = (float)(0.05 + (0.25 * random.NextDouble()));
            blobGenres[c] = random.Next(genres);
        }

        return new SyntheticCatalogue(centres, spreads, blobGenres, dimension, genres);
    }

    /// <summary>count vectors (row-major, normalised) and their genres; the same seed gives the same draw.</summary>
    public (float[] Vectors, int[] Genres) Sample(long count, int seed)
    {
        var n = checked((int)count);
        var d = Dimension;
        var vectors = new float[checked(n * d)];
        var genres = new int[n];
        var random = new Random(seed);
        var parents = _parentGenres.Length;
        for (var i = 0; i < n; i++)
        {
            var parent = random.Next(parents);
            genres[i] = _parentGenres[parent];
            var row = vectors.AsSpan(i * d, d);
            for (var j = 0; j < d; j++)
            {
                row[j] = _parents[(parent * d) + j] + (_bandwidths[parent] * (float)Gaussian(random));
            }

            VectorMath.Normalize(row);
        }

        return (vectors, genres);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
