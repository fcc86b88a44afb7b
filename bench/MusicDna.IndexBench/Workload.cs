namespace MusicDna.IndexBench;

/// <summary>The catalogue (ids 1..count, normalised vectors, genres) and the seeded queries, drawn from one generator.</summary>
internal sealed record Workload(long[] Ids, float[] Vectors, int[] Genres, float[] Queries, int Dimension, string Description)
{
    public int Count => Ids.Length;

    public static async Task<Workload> CreateAsync(BenchOptions options)
    {
        SyntheticCatalogue generator;
        string description;
        if (options.Source == "model")
        {
            var latents = await ModelLatents.LoadOrTrainAsync(options.Csv, options.LatentsCache).ConfigureAwait(false);
            generator = SyntheticCatalogue.AroundLatents(latents);
            description = $"sampled around the latents of the default model trained on {latents.Count:N0} real tracks";
        }
        else if (options.Source == "mixture")
        {
            generator = SyntheticCatalogue.Mixture(6, options.Seed);
            description = "a 256-blob Gaussian mixture biased to the positive orthant";
        }
        else
        {
            throw new ArgumentException($"Unknown --source '{options.Source}' (model or mixture).");
        }

        var (vectors, genres) = generator.Sample(options.Count, options.Seed);
        var (queries, _) = generator.Sample(options.Queries, options.Seed + 1);
        var ids = new long[options.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = i + 1;
        }

        return new Workload(ids, vectors, genres, queries, generator.Dimension, description);
    }

    public ReadOnlySpan<float> Query(int q) => Queries.AsSpan(q * Dimension, Dimension);

    public int QueryCount => Queries.Length / Dimension;

    /// <summary>The ids of the genre whose share of the catalogue is nearest <paramref name="share"/>.</summary>
    public (int Genre, long[] Ids) GenreNearestShare(double share)
    {
        var counts = new Dictionary<int, int>();
        foreach (var genre in Genres)
        {
            counts[genre] = counts.GetValueOrDefault(genre) + 1;
        }

        var chosen = counts.MinBy(pair => Math.Abs(((double)pair.Value / Count) - share)).Key;
        return (chosen, [.. Enumerable.Range(0, Count).Where(i => Genres[i] == chosen).Select(i => Ids[i])]);
    }

    /// <summary>A seeded random subset of about <paramref name="share"/> of the ids.</summary>
    public long[] RandomShare(double share, int seed)
    {
        var random = new Random(seed);
        return [.. Ids.Where(_ => random.NextDouble() < share)];
    }
}
