using MusicDna.Engine.Recommend.Tuning;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// Chooses a page from the candidates. Plain ranking takes them in score order, applying the per-artist cap and the
/// artist window (a candidate the window holds back takes the first place the window frees). Long-tail and
/// diversity re-rank a pool of the best max(4k, 200) candidates (doubled while the cap or the window leaves the page
/// short): long tail by <c>score − penalty × popularity / 100</c>, diversity by maximal marginal relevance,
/// <c>(1 − diversity) × relevance − diversity × max similarity to the tracks already chosen</c>, the similarity read on
/// the same <see cref="SimilarityScale"/> as the scores, so both terms are in one unit. Targets re-rank the same pool
/// by <c>score − target_weight × distance from the targets</c> (<see cref="AttributePull"/>). Shelves
/// (<c>group_by</c>) fill the first k groups met in score order with their best <c>group_size</c> candidates each
/// (fewer where a group holds fewer: the search then reads on to the end of the catalogue).
/// Every candidate drawn from the source counts as passed; those the cap, the window or a full shelf leave out
/// are counted under their stage.
/// </summary>
internal static class FeedRanker
{
    private const int PoolFactor = 4;
    private const int MinimumPool = 200;

    /// <summary>The page, best first (shelf by shelf when grouped), and whether no qualifying candidate is left after it.</summary>
    public static (List<RankedCandidate> Page, bool Exhausted) Select(
        CandidateSource source, RecommendQuery query, ArtistWindow window, FeedDiagnostics diagnostics, SimilarityScale scale,
        CancellationToken cancellationToken, AttributePull? pull = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(query);
        var counted = new PassCounter(source, diagnostics);
        if (query.GroupBy != FeedGrouping.None)
        {
            return Grouped(counted, query, diagnostics, cancellationToken);
        }

        pull = pull is { IsEmpty: false, Weight: > 0 } ? pull : null;
        return query.LongTail || query.Diversity > 0 || pull is not null
            ? Rerank(counted, query, window, diagnostics, scale, pull, cancellationToken)
            : InScoreOrder(counted, query, window, diagnostics, cancellationToken);
    }

    private static (List<RankedCandidate>, bool) InScoreOrder(
        CandidateSource source, RecommendQuery query, ArtistWindow window, FeedDiagnostics diagnostics, CancellationToken cancellationToken)
    {
        var page = new List<RankedCandidate>(query.K);
        var cap = new ArtistCap(query.MaxTracksPerArtist);
        var heldBack = new List<Candidate>(); // by the window, best first: each may take a later place
        var capped = 0;
        while (page.Count < query.K)
        {
            var waiting = heldBack.FindIndex(c => window.Allows(c.Facts) && cap.Allows(c.Facts));
            Candidate candidate;
            if (waiting >= 0)
            {
                candidate = heldBack[waiting];
                heldBack.RemoveAt(waiting);
            }
            else if (!source.TryNext(cancellationToken, out candidate))
            {
                break;
            }
            else if (!cap.Allows(candidate.Facts))
            {
                capped++; // still qualifies for a later page
                continue;
            }
            else if (!window.Allows(candidate.Facts))
            {
                heldBack.Add(candidate);
                continue;
            }

            cap.Take(candidate.Facts);
            window.Push(candidate.Facts);
            page.Add(new RankedCandidate(candidate, candidate.Score));
        }

        diagnostics.Remove(RemovalStage.ArtistCap, capped);
        diagnostics.Remove(RemovalStage.ArtistWindow, heldBack.Count);

        // A full page says nothing about what is left: look one candidate further.
        var exhausted = capped == 0 && heldBack.Count == 0 && (page.Count < query.K || !source.TryNext(cancellationToken, out _));
        return (page, exhausted);
    }

    private static (List<RankedCandidate>, bool) Rerank(
        CandidateSource source, RecommendQuery query, ArtistWindow window, FeedDiagnostics diagnostics, SimilarityScale scale,
        AttributePull? pull, CancellationToken cancellationToken)
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
            var (page, capped, heldBack) = Greedy(pool, query, window.Copy(), scale, pull, cancellationToken);
            if (page.Count == query.K || sourceDone)
            {
                diagnostics.Remove(RemovalStage.ArtistCap, capped);
                diagnostics.Remove(RemovalStage.ArtistWindow, heldBack);
                return (page, sourceDone && page.Count == pool.Count);
            }

            poolSize *= 2;
        }
    }

    private static (List<RankedCandidate> Page, int Capped, int HeldBack) Greedy(
        List<Candidate> pool, RecommendQuery query, ArtistWindow window, SimilarityScale scale, AttributePull? pull,
        CancellationToken cancellationToken)
    {
        var penalty = (float)query.EffectivePopularityPenalty;
        var diversity = (float)query.Diversity;
        var relevance = pool
            .Select(c => c.Score - (penalty * c.Facts.Popularity / 100f) - (pull is null ? 0 : pull.Weight * pull.Distance(c.Facts)))
            .ToArray();
        var closestChosen = new float[pool.Count];
        var done = new bool[pool.Count];
        var capped = new bool[pool.Count];
        var cap = new ArtistCap(query.MaxTracksPerArtist);
        var page = new List<RankedCandidate>(query.K);
        var heldBack = 0;
        while (page.Count < query.K)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var best = -1;
            var bestValue = float.NegativeInfinity;
            heldBack = 0;
            for (var i = 0; i < pool.Count; i++)
            {
                if (done[i])
                {
                    continue;
                }

                if (!cap.Allows(pool[i].Facts))
                {
                    done[i] = capped[i] = true; // the cap only tightens within a page
                    continue;
                }

                if (!window.Allows(pool[i].Facts))
                {
                    heldBack++;
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
            window.Push(pool[best].Facts);
            page.Add(new RankedCandidate(pool[best], relevance[best]));
            if (diversity > 0)
            {
                UpdateClosest(pool, pool[best].Facts.Vector, closestChosen, done, page.Count == 1, scale);
            }
        }

        return (page, capped.Count(c => c), page.Count == query.K ? 0 : heldBack);
    }

    private static (List<RankedCandidate>, bool) Grouped(
        CandidateSource source, RecommendQuery query, FeedDiagnostics diagnostics, CancellationToken cancellationToken)
    {
        var size = query.EffectiveGroupSize;
        var shelves = new List<(string Label, List<Candidate> Rows)>(query.K);
        var byLabel = new Dictionary<string, List<Candidate>>(StringComparer.OrdinalIgnoreCase);
        var cap = new ArtistCap(query.MaxTracksPerArtist);
        var full = 0;
        var left = false;
        while (full < query.K)
        {
            if (!source.TryNext(cancellationToken, out var candidate))
            {
                break;
            }

            var label = Label(candidate.Facts, query.GroupBy);
            if (!byLabel.TryGetValue(label, out var rows))
            {
                if (shelves.Count == query.K)
                {
                    diagnostics.Remove(RemovalStage.Groups);
                    left = true;
                    continue;
                }

                rows = [];
                byLabel.Add(label, rows);
                shelves.Add((label, rows));
            }

            if (rows.Count == size)
            {
                diagnostics.Remove(RemovalStage.Groups);
                left = true;
                continue;
            }

            if (!cap.Allows(candidate.Facts))
            {
                diagnostics.Remove(RemovalStage.ArtistCap);
                left = true;
                continue;
            }

            cap.Take(candidate.Facts);
            rows.Add(candidate);
            full += rows.Count == size ? 1 : 0;
        }

        var page = shelves.SelectMany(s => s.Rows.Select(c => new RankedCandidate(c, c.Score, s.Label))).ToList();
        var exhausted = !left && (full < query.K || !source.TryNext(cancellationToken, out _));
        return (page, exhausted);
    }

    private static string Label(TrackFacts facts, FeedGrouping grouping) =>
        grouping == FeedGrouping.Genre ? facts.Genre : facts.Artists.FirstOrDefault(a => a.Length > 0) ?? "";

    private static void UpdateClosest(List<Candidate> pool, ReadOnlySpan<float> chosen, float[] closestChosen, bool[] done, bool first, SimilarityScale scale)
    {
        for (var i = 0; i < pool.Count; i++)
        {
            if (!done[i])
            {
                var similarity = scale.Score(UnitVector.Dot(pool[i].Facts.Vector, chosen));
                closestChosen[i] = first ? similarity : Math.Max(closestChosen[i], similarity);
            }
        }
    }

    /// <summary>Counts every candidate the ranker draws as one that passed every filter.</summary>
    private sealed class PassCounter(CandidateSource inner, FeedDiagnostics diagnostics) : CandidateSource
    {
        public override bool TryNext(CancellationToken cancellationToken, out Candidate candidate)
        {
            var found = inner.TryNext(cancellationToken, out candidate);
            Examined = inner.Examined;
            if (found)
            {
                diagnostics.Pass();
            }

            return found;
        }
    }
}
