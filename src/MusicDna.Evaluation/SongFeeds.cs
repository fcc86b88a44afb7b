namespace MusicDna.Evaluation;

/// <summary>
/// What a top-k feed looks like when the catalogue holds one song under several tracks. For each query track, its
/// exact cosine neighbours best first (query excluded, ties to the lower index): with collapsing off, the first k
/// tracks; with collapsing on, as Recommend builds a feed, the first k songs other than the query's own, each shown as
/// its most popular version (the nearest version on ties, then the lower index). Reports the share of feeds that
/// repeat a song or hold a version of the query's song, off and on, and genre agreement@k over the songs' versions
/// shown.
/// </summary>
public static class SongFeeds
{
    private const int InitialDepth = 64;

    public static SongFeedResult Measure(
        ReadOnlySpan<float> rows, int dimension, EvaluationDataset data, IReadOnlyList<int> queries, int k)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var n = data.Count;
        if (rows.Length != n * dimension)
        {
            throw new ArgumentException($"Expected {n} rows of {dimension} values, got {rows.Length} values.", nameof(rows));
        }

        if (queries.Count == 0)
        {
            throw new ArgumentException("At least one query is needed.", nameof(queries));
        }

        var unit = GenreAgreement.Normalised(rows, dimension);
        var shown = MostPopularVersions(data);
        var scores = new float[n];
        var repeatsOff = 0;
        var repeatsOn = 0;
        var agreement = 0.0;
        foreach (var query in queries)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(query, nameof(queries));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(query, n, nameof(queries));
            var q = unit.AsSpan(query * dimension, dimension);
            for (var i = 0; i < n; i++)
            {
                var score = 0f;
                var row = unit.AsSpan(i * dimension, dimension);
                for (var j = 0; j < dimension; j++)
                {
                    score += q[j] * row[j];
                }

                scores[i] = score;
            }

            var off = Best(scores, query, Math.Min(k, n - 1));
            repeatsOff += RepeatsASong(off, query, data.Songs) ? 1 : 0;

            var on = Collapsed(scores, query, k, data, shown);
            repeatsOn += RepeatsASong(on, query, data.Songs) ? 1 : 0;
            agreement += (double)on.Count(i => data.Genres[i] == data.Genres[query]) / k;
        }

        return new SongFeedResult(
            (double)repeatsOff / queries.Count, (double)repeatsOn / queries.Count, agreement / queries.Count);
    }

    /// <summary>Whether the feed holds two versions of one song, or a version of the query's song.</summary>
    private static bool RepeatsASong(List<int> feed, int query, IReadOnlyList<int> songs)
    {
        var seen = new HashSet<int> { songs[query] };
        return feed.Any(i => !seen.Add(songs[i]));
    }

    private static List<int> Collapsed(float[] scores, int query, int k, EvaluationDataset data, int[] shown)
    {
        for (var depth = Math.Min(k + InitialDepth, scores.Length - 1); ; depth = Math.Min(2 * depth, scores.Length - 1))
        {
            var taken = new HashSet<int> { data.Songs[query] };
            var feed = new List<int>(k);
            foreach (var i in Best(scores, query, depth))
            {
                if (taken.Add(data.Songs[i]))
                {
                    var popular = shown[data.Songs[i]];
                    feed.Add(data.Popularity[popular] > data.Popularity[i] ? popular : i);
                    if (feed.Count == k)
                    {
                        return feed;
                    }
                }
            }

            if (depth == scores.Length - 1)
            {
                return feed;
            }
        }
    }

    /// <summary>The <paramref name="count"/> best rows by score, best first, the query excluded, ties to the lower index.</summary>
    private static List<int> Best(float[] scores, int query, int count)
    {
        var bestScores = new float[count];
        var bestRows = new int[count];
        Array.Fill(bestScores, float.NegativeInfinity);
        Array.Fill(bestRows, -1);
        for (var i = 0; i < scores.Length; i++)
        {
            // Strictly greater: an equal score never displaces an earlier (lower-index) row.
            if (i == query || !(scores[i] > bestScores[count - 1]))
            {
                continue;
            }

            var at = count - 1;
            while (at > 0 && scores[i] > bestScores[at - 1])
            {
                bestScores[at] = bestScores[at - 1];
                bestRows[at] = bestRows[at - 1];
                at--;
            }

            bestScores[at] = scores[i];
            bestRows[at] = i;
        }

        return [.. bestRows.Where(r => r >= 0)];
    }

    /// <summary>Per song, its most popular version (the lower index on ties).</summary>
    private static int[] MostPopularVersions(EvaluationDataset data)
    {
        var shown = Enumerable.Repeat(-1, data.SongCount).ToArray();
        for (var i = 0; i < data.Count; i++)
        {
            var song = data.Songs[i];
            if (shown[song] < 0 || data.Popularity[i] > data.Popularity[shown[song]])
            {
                shown[song] = i;
            }
        }

        return shown;
    }
}

/// <summary>Shares in [0, 1]: feeds that repeat a song (or hold the query's), collapsing off and on; genre agreement over songs.</summary>
public sealed record SongFeedResult(double RepeatedSongShareOff, double RepeatedSongShareOn, double SongAgreement);
