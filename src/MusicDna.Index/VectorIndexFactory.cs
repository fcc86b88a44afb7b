namespace MusicDna.Index;

/// <summary>Builds the index a catalogue's size calls for (<see cref="VectorIndexOptions.KindFor"/>): exact below
/// the threshold, an inverted file sized by the count above it.</summary>
public static class VectorIndexFactory
{
    /// <summary>
    /// An index holding <paramref name="ids"/> with their row-major <paramref name="vectors"/> (raw; normalised by the
    /// index). An inverted-file index is trained first on a seeded sample of the rows, so the same catalogue always
    /// gives the same index. Uses FAISS's current thread count (<see cref="VectorIndex.SetThreads"/>).
    /// </summary>
    public static VectorIndex Create(int dimension, ReadOnlySpan<long> ids, ReadOnlySpan<float> vectors, VectorIndexOptions? options = null)
    {
        options ??= VectorIndexOptions.Default;
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if ((long)ids.Length * dimension != vectors.Length)
        {
            throw new ArgumentException(
                $"{vectors.Length} values do not make {ids.Length} rows of dimension {dimension}.", nameof(vectors));
        }

        var index = options.KindFor(ids.Length) == VectorIndexKind.Exact
            ? new VectorIndex(dimension)
            : CreateTrainedInvertedFile(dimension, ids.Length, vectors, options);
        try
        {
            index.FilterPolicy = options.FilterPolicy;
            for (var start = 0; start < ids.Length; start += options.BuildBatch)
            {
                var rows = Math.Min(options.BuildBatch, ids.Length - start);
                index.Upsert(ids.Slice(start, rows), vectors.Slice(start * dimension, rows * dimension));
            }

            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    private static VectorIndex CreateTrainedInvertedFile(int dimension, int count, ReadOnlySpan<float> vectors, VectorIndexOptions options)
    {
        var lists = options.ListsFor(count);
        var index = VectorIndex.CreateInvertedFile(dimension, lists, options.ProbeFor(lists));
        try
        {
            index.Train(TrainingSample(vectors, dimension, count, (long)lists * options.TrainingRowsPerList, options.Seed));
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>A seeded random choice of rows without repeats (all rows when there are fewer than asked).</summary>
    internal static float[] TrainingSample(ReadOnlySpan<float> vectors, int dimension, int count, long wanted, int seed)
    {
        var take = (int)Math.Min(count, wanted);
        var sample = new float[take * dimension];
        if (take == count)
        {
            vectors[..(count * dimension)].CopyTo(sample);
            return sample;
        }

        // Floyd's algorithm: take distinct rows in O(take) time and memory.
        var random = new Random(seed);
        var chosen = new HashSet<int>(take);
        var next = 0;
        for (var j = count - take; j < count; j++)
        {
            var row = random.Next(j + 1);
            if (!chosen.Add(row))
            {
                row = j;
                chosen.Add(row);
            }

            vectors.Slice(row * dimension, dimension).CopyTo(sample.AsSpan(next++ * dimension, dimension));
        }

        return sample;
    }
}
