using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// Chooses a page from the candidates. Plain ranking takes them in score order, applying the per-artist cap.
/// Long-tail and diversity re-rank a pool of the best max(4k, 200) candidates (doubled while the artist cap leaves
/// the page short): long tail by <c>score − penalty × popularity / 100</c>, diversity by maximal marginal
/// relevance, <c>(1 − diversity) × relevance − diversity × max cosine to the tracks already chosen</c>.
/// </summary>
internal static class FeedRanker
{
    private const int PoolFactor = 4;
    private const int MinimumPool = 200;

    /// <summary>The page, best first, and whether no qualifying candidate is left after it.</summary>
    public static (List<RankedCandidate> Page, bool Exhausted) Select(CandidateSource source, RecommendQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(query);
        return query.LongTail || query.Diversity > 0
            ? Rerank(source, query, cancellationToken)
            : InScoreOrder(source, query, cancellationToken);
    }

    private static (List<RankedCandidate>, bool) InScoreOrder(CandidateSource source, RecommendQuery query, CancellationToken cancellationToken)
    {
        var page = new List<RankedCandidate>(query.K);
        var cap = new ArtistCap(query.MaxTracksPerArtist);
        var deferred = false;
        while (page.Count < query.K && source.TryNext(cancellationToken, out var candidate))
        {
            if (!cap.Allows(candidate.Facts))
            {
                deferred = true; // still qualifies for a later page
                continue;
            }

            cap.Take(candidate.Facts);
            page.Add(new RankedCandidate(candidate, candidate.Score));
        }

        // A full page says nothing about what is left: look one candidate further.
        var exhausted = !deferred && (page.Count < query.K || !source.TryNext(cancellationToken, out _));
        return (page, exhausted);
    }

    private static (List<RankedCandidate>, bool) Rerank(CandidateSource source, RecommendQuery query, CancellationToken cancellationToken)
    {
        var poolSize = Math.Max(PoolFactor * query.K, MinimumPool);
        var pool = new List<Candidate>(poolSize);
        while (true)
        {
            while (pool.Count < poolSize && source.TryNext(cancellationToken, out var candidate))
            {
                pool.Add(candidate);
            }

            var sourceDone = pool.Count < poolSize;
            var page = Greedy(pool, query, cancellationToken);
            if (page.Count == query.K || sourceDone)
            {
                return (page, sourceDone && page.Count == pool.Count);
            }

            poolSize *= 2;
        }
    }

    private static List<RankedCandidate> Greedy(List<Candidate> pool, RecommendQuery query, CancellationToken cancellationToken)
    {
        var penalty = (float)query.EffectivePopularityPenalty;
        var diversity = (float)query.Diversity;
        var relevance = pool.Select(c => c.Score - (penalty * c.Facts.Popularity / 100f)).ToArray();
        var closestChosen = new float[pool.Count];
        var done = new bool[pool.Count];
        var cap = new ArtistCap(query.MaxTracksPerArtist);
        var page = new List<RankedCandidate>(query.K);
        while (page.Count < query.K)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var best = -1;
            var bestValue = float.NegativeInfinity;
            for (var i = 0; i < pool.Count; i++)
            {
                if (done[i])
                {
                    continue;
                }

                if (!cap.Allows(pool[i].Facts))
                {
                    done[i] = true; // the cap only tightens within a page
                    continue;
                }

                // Before the first pick there is nothing to be diverse from: pure relevance.
                var value = page.Count == 0 ? relevance[i] : ((1 - diversity) * relevance[i]) - (diversity * closestChosen[i]);
                if (value > bestValue)
                {
                    best = i;
                    bestValue = value;
                }
            }

            if (best < 0)
            {
                break;
            }

            done[best] = true;
            cap.Take(pool[best].Facts);
            page.Add(new RankedCandidate(pool[best], relevance[best]));
            if (diversity > 0)
            {
                UpdateClosest(pool, pool[best].Facts.Vector, closestChosen, done, page.Count == 1);
            }
        }

        return page;
    }

    private static void UpdateClosest(List<Candidate> pool, float[] chosen, float[] closestChosen, bool[] done, bool first)
    {
        for (var i = 0; i < pool.Count; i++)
        {
            if (!done[i])
            {
                var similarity = UnitVector.Dot(pool[i].Facts.Vector, chosen);
                closestChosen[i] = first ? similarity : Math.Max(closestChosen[i], similarity);
            }
        }
    }
}
