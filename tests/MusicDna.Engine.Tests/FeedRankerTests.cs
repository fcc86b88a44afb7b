using MusicDna.Engine.Recommend;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Tests;

public sealed class FeedRankerTests
{
    public enum Ranking
    {
        ScoreOrder,
        LongTail,
        Diversity,
    }

    [Fact]
    public void Long_tail_penalty_lets_a_less_popular_slightly_less_similar_track_overtake()
    {
        // score − 0.1 × popularity / 100: A 0.90 − 0.09 = 0.81, B 0.88 − 0.01 = 0.87, C 0.80 − 0 = 0.80, D 0.70 − 0.02 = 0.68.
        var (page, _) = Select(Popular(), Query(k: 4) with { LongTail = true });

        Assert.Equal(["B", "A", "C", "D"], Ids(page));
        Assert.Equal([0.87f, 0.81f, 0.80f, 0.68f], page.Select(r => r.RankingScore), new Tolerance(1e-6f));
        Assert.Equal([0.88f, 0.90f, 0.80f, 0.70f], page.Select(r => r.Candidate.Score));
    }

    [Fact]
    public void A_larger_long_tail_penalty_pushes_popular_tracks_further_down()
    {
        // score − 0.5 × popularity / 100: A 0.90 − 0.45 = 0.45, B 0.88 − 0.05 = 0.83, C 0.80 − 0 = 0.80, D 0.70 − 0.10 = 0.60.
        var (page, _) = Select(Popular(), Query(k: 4) with { LongTail = true, PopularityPenalty = 0.5 });

        Assert.Equal(["B", "C", "D", "A"], Ids(page));
        Assert.Equal([0.83f, 0.80f, 0.60f, 0.45f], page.Select(r => r.RankingScore), new Tolerance(1e-6f));
    }

    [Fact]
    public void Without_long_tail_popularity_does_not_change_the_order()
    {
        var (page, _) = Select(Popular(), Query(k: 4));

        Assert.Equal(["A", "B", "C", "D"], Ids(page));
        Assert.Equal(page.Select(r => r.Candidate.Score), page.Select(r => r.RankingScore));
    }

    [Fact]
    public void Diversity_pushes_a_near_duplicate_of_the_first_pick_down()
    {
        // After A, MMR with diversity 0.5 values A2 at 0.5 × 0.94 − 0.5 × s(A, A2) ≈ 0.00, B at 0.45 − 0.5 × s(A, B) = 0.45,
        // C at 0.425 (s: the uncalibrated scale, 1 − θ / 90°: 0.94 for A2's 5.7°, 0 for B's and C's right angle).
        var (page, _) = Select(NearDuplicates(), Query(k: 4) with { Diversity = 0.5 });

        Assert.Equal(["A", "B", "C", "A2"], Ids(page));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Diversity_zero_keeps_pure_score_order(bool longTail)
    {
        // Popularity 0 everywhere, so long tail (which takes the re-rank path) changes no score either.
        var (page, _) = Select(NearDuplicates(), Query(k: 4) with { Diversity = 0, LongTail = longTail });

        Assert.Equal(["A", "A2", "B", "C"], Ids(page));
    }

    [Theory]
    [InlineData(Ranking.ScoreOrder)]
    [InlineData(Ranking.LongTail)]
    [InlineData(Ranking.Diversity)]
    public void Artist_cap_keeps_at_most_N_tracks_of_each_artist_in_a_page(Ranking ranking)
    {
        var candidates = new[]
        {
            Make("x1", 0.95f, "X"), Make("x2", 0.90f, "X"), Make("x3", 0.85f, "X"), Make("y1", 0.80f, "Y"),
            Make("x4", 0.75f, "X"), Make("y2", 0.70f, "Y"), Make("z1", 0.65f, "Z"),
        };

        var (page, exhausted) = Select(candidates, Query(k: 5, ranking) with { MaxTracksPerArtist = 2 });

        Assert.Equal(["x1", "x2", "y1", "y2", "z1"], Ids(page));
        Assert.False(exhausted); // x3 and x4 still qualify for a later page
    }

    [Theory]
    [InlineData(Ranking.ScoreOrder)]
    [InlineData(Ranking.LongTail)]
    [InlineData(Ranking.Diversity)]
    public void A_track_counts_against_the_cap_of_each_of_its_artists_and_a_capped_track_is_deferred_not_lost(Ranking ranking)
    {
        // t1 uses up both X's and Y's one slot, so t2 (Y only) must wait; the page stays short, but is not the end.
        var candidates = new[] { Make("t1", 0.9f, "X", "Y"), Make("t2", 0.8f, "Y"), Make("t3", 0.7f, "Z") };
        var query = Query(k: 3, ranking) with { MaxTracksPerArtist = 1 };

        var (first, firstExhausted) = Select(candidates, query);
        Assert.Equal(["t1", "t3"], Ids(first));
        Assert.False(firstExhausted);

        // The next page's search excludes what was served; the deferred track is still there.
        var served = Ids(first).ToHashSet();
        var (second, secondExhausted) = Select(candidates.Where(c => !served.Contains(c.Facts.TrackId)), query);
        Assert.Equal(["t2"], Ids(second));
        Assert.True(secondExhausted);
    }

    [Fact]
    public void When_the_cap_leaves_the_re_rank_pool_short_the_pool_grows_until_the_page_fills()
    {
        // The re-rank pool starts at max(4k, 200) candidates; the first 205 are all by X, so the other artists lie beyond it.
        var candidates = Enumerable.Range(0, 205).Select(i => Make($"x{i}", 0.9f - (i * 0.001f), "X"))
            .Append(Make("y", 0.6f, "Y")).Append(Make("z", 0.59f, "Z"));

        var (page, exhausted) = Select(candidates, Query(k: 3, Ranking.LongTail) with { MaxTracksPerArtist = 1 });

        Assert.Equal(["x0", "y", "z"], Ids(page));
        Assert.False(exhausted);
    }

    [Theory]
    [InlineData(Ranking.ScoreOrder)]
    [InlineData(Ranking.LongTail)]
    [InlineData(Ranking.Diversity)]
    public void A_page_shorter_than_k_is_exhausted(Ranking ranking)
    {
        var (page, exhausted) = Select(Distinct(2), Query(k: 3, ranking));

        Assert.Equal(2, page.Count);
        Assert.True(exhausted);
    }

    [Theory]
    [InlineData(Ranking.ScoreOrder)]
    [InlineData(Ranking.LongTail)]
    [InlineData(Ranking.Diversity)]
    public void A_full_page_with_nothing_left_is_exhausted(Ranking ranking)
    {
        var (page, exhausted) = Select(Distinct(3), Query(k: 3, ranking));

        Assert.Equal(3, page.Count);
        Assert.True(exhausted);
    }

    [Theory]
    [InlineData(Ranking.ScoreOrder)]
    [InlineData(Ranking.LongTail)]
    [InlineData(Ranking.Diversity)]
    public void A_full_page_with_more_left_is_not_exhausted(Ranking ranking)
    {
        var (page, exhausted) = Select(Distinct(4), Query(k: 3, ranking));

        Assert.Equal(3, page.Count);
        Assert.False(exhausted);
    }

    [Theory]
    [InlineData(Ranking.ScoreOrder)]
    [InlineData(Ranking.LongTail)]
    [InlineData(Ranking.Diversity)]
    public void The_artist_window_keeps_an_artist_out_of_the_next_rows_and_a_held_back_track_takes_the_first_free_place(Ranking ranking)
    {
        var candidates = new[] { Make("x1", 0.95f, "X"), Make("x2", 0.90f, "X"), Make("y1", 0.85f, "Y"), Make("z1", 0.80f, "Z"), Make("w1", 0.75f, "W") };

        var (page, exhausted) = Select(candidates, Query(k: 5, ranking) with { ArtistWindow = 2 });

        Assert.Equal(["x1", "y1", "z1", "x2", "w1"], Ids(page));
        Assert.True(exhausted);
    }

    [Fact]
    public void The_artist_window_starts_from_the_rows_heard_before_the_page()
    {
        var candidates = new[] { Make("x1", 0.95f, "X"), Make("y1", 0.85f, "Y"), Make("z1", 0.80f, "Z") };
        var query = Query(k: 3) with { ArtistWindow = 2 };
        var heard = TestTracks.Facts("x0", [1, 0, 0], 0, "x");
        var diagnostics = new FeedDiagnostics();

        var (page, _) = FeedRanker.Select(new ReplayedCandidates(candidates), query, new ArtistWindow(2, [heard]), diagnostics, SimilarityScale.Uncalibrated, CancellationToken.None);

        Assert.Equal(["y1", "z1", "x1"], Ids(page));
    }

    [Fact]
    public void A_window_no_candidate_can_pass_leaves_the_page_short_and_not_exhausted()
    {
        var candidates = new[] { Make("x1", 0.95f, "X"), Make("x2", 0.90f, "X"), Make("x3", 0.85f, "X") };
        var diagnostics = new FeedDiagnostics();

        var (page, exhausted) = FeedRanker.Select(
            new ReplayedCandidates(candidates), Query(k: 3) with { ArtistWindow = 5 }, new ArtistWindow(5, []), diagnostics, SimilarityScale.Uncalibrated, CancellationToken.None);

        Assert.Equal(["x1"], Ids(page));
        Assert.False(exhausted);
        Assert.Equal(2, diagnostics.Removed(RemovalStage.ArtistWindow));
        Assert.Equal("artist_window", diagnostics.LimitedBy(shortPage: true));
    }

    private static (List<RankedCandidate> Page, bool Exhausted) Select(IEnumerable<Candidate> candidates, RecommendQuery query) =>
        FeedRanker.Select(new ReplayedCandidates(candidates), query, new ArtistWindow(query.ArtistWindow, []), new FeedDiagnostics(), SimilarityScale.Uncalibrated, CancellationToken.None);

    private static RecommendQuery Query(int k, Ranking ranking = Ranking.ScoreOrder) => new()
    {
        Seeds = [new RecommendSeed("", "seed", null)],
        K = k,
        LongTail = ranking == Ranking.LongTail,
        Diversity = ranking == Ranking.Diversity ? 0.3 : 0,
    };

    private static List<string> Ids(List<RankedCandidate> page) => [.. page.Select(r => r.Candidate.Facts.TrackId)];

    /// <summary>Scores close together, popularity far apart.</summary>
    private static Candidate[] Popular() =>
    [
        Make("A", 0.90f, popularity: 90), Make("B", 0.88f, popularity: 10), Make("C", 0.80f, popularity: 0),
        Make("D", 0.70f, popularity: 20),
    ];

    /// <summary>A2 points almost where A does; B and C point elsewhere.</summary>
    private static Candidate[] NearDuplicates() =>
    [
        Make("A", 0.95f, vector: [1, 0, 0]), Make("A2", 0.94f, vector: [1, 0.1f, 0]), Make("B", 0.90f, vector: [0, 1, 0]),
        Make("C", 0.85f, vector: [0, 0, 1]),
    ];

    /// <summary>Candidates of distinct artists pointing in distinct directions, best first.</summary>
    private static IEnumerable<Candidate> Distinct(int count) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var vector = new float[count];
            vector[i] = 1;
            return Make($"d{i}", 0.9f - (i * 0.1f), vector: vector);
        });

    private static Candidate Make(string trackId, float score, params string[] artists) => Make(trackId, score, 0, null, artists);

    private static Candidate Make(string trackId, float score, int popularity = 0, float[]? vector = null, params string[] artists)
    {
        var facts = TestTracks.Facts(trackId, vector ?? [1, 0, 0], popularity, artists);
        return new Candidate(RowIdOf(trackId), score, score, facts);
    }

    private static long RowIdOf(string trackId) => trackId.Aggregate(0L, (id, c) => (id * 131) + c);

    private sealed class Tolerance(float epsilon) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(float obj) => 0;
    }
}
