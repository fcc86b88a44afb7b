namespace MusicDna.Evaluation;

/// <summary>
/// How musically meaningful neighbourhoods are: for each query row, the share of its k nearest rows by cosine
/// similarity (the query itself excluded, ties to the lower index) that carry the query's genre, averaged over
/// the queries. Exact brute force, so it measures the space, not an index's approximation.
/// </summary>
public static class GenreAgreement
{
    public static double AtK(ReadOnlySpan<float> rows, int dimension, IReadOnlyList<int> genres, IReadOnlyList<int> queries, int k)
    {
        ArgumentNullException.ThrowIfNull(genres);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var n = genres.Count;
        if (rows.Length != n * dimension)
        {
            throw new ArgumentException($"Expected {n} rows of {dimension} values, got {rows.Length} values.", nameof(rows));
        }

        if (queries.Count == 0)
        {
            throw new ArgumentException("At least one query is needed.", nameof(queries));
        }

        if (n <= k)
        {
            throw new ArgumentException($"Agreement at {k} needs more than {k} rows, got {n}.", nameof(rows));
        }

        var unit = Normalised(rows, dimension);
        var bestScores = new float[k];
        var bestRows = new int[k];
        var total = 0.0;
        foreach (var query in queries)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(query, nameof(queries));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(query, n, nameof(queries));
            var q = unit.AsSpan(query * dimension, dimension);
            Array.Fill(bestScores, float.NegativeInfinity);
            Array.Fill(bestRows, -1);
            for (var i = 0; i < n; i++)
            {
                if (i == query)
                {
                    continue;
                }

                var score = 0f;
                var row = unit.AsSpan(i * dimension, dimension);
                for (var j = 0; j < dimension; j++)
                {
                    score += q[j] * row[j];
                }

                // Strictly greater: an equal score never displaces an earlier (lower-index) row.
                if (score > bestScores[k - 1])
                {
                    var at = k - 1;
                    while (at > 0 && score > bestScores[at - 1])
                    {
                        bestScores[at] = bestScores[at - 1];
                        bestRows[at] = bestRows[at - 1];
                        at--;
                    }

                    bestScores[at] = score;
                    bestRows[at] = i;
                }
            }

            var same = 0;
            foreach (var neighbour in bestRows)
            {
                if (neighbour >= 0 && genres[neighbour] == genres[query])
                {
                    same++;
                }
            }

            total += (double)same / k;
        }

        return total / queries.Count;
    }

    /// <summary>Unit-length copies of the rows (a zero row stays zero, so it is nobody's neighbour by cosine).</summary>
    internal static float[] Normalised(ReadOnlySpan<float> rows, int dimension)
    {
        var unit = rows.ToArray();
        for (var start = 0; start < unit.Length; start += dimension)
        {
            var row = unit.AsSpan(start, dimension);
            var squares = 0.0;
            foreach (var value in row)
            {
                squares += (double)value * value;
            }

            if (squares > 0)
            {
                var scale = 1 / Math.Sqrt(squares);
                for (var j = 0; j < dimension; j++)
                {
                    row[j] = (float)(row[j] * scale);
                }
            }
        }

        return unit;
    }
}
