using MusicDna.Engine.Recommend;
using static MusicDna.Engine.Tests.FeedUnderTest;

namespace MusicDna.Engine.Tests;

/// <summary>The end of a page says what the search examined, what each stage removed and what limited a short page.</summary>
[Collection(TorchTests.Name)]
public sealed class FeedDiagnosticsTests(SnapshotFixture fixture) : IDisposable
{
    private readonly FeedUnderTest _feed = new(fixture,
    [
        At(0, "seed", "Seed", "S"),
        At(2, "rock-1", "R1", "A", popularity: 90, genre: "rock"),
        At(4, "jazz-1", "J1", "B", popularity: 10, genre: "jazz"),
        At(6, "rock-2", "R2", "C", popularity: 80, genre: "rock"),
        At(8, "jazz-2", "J2", "D", popularity: 20, genre: "jazz"),
        At(10, "rock-3", "R3", "E", popularity: 70, genre: "rock"),
        At(70, "jazz-far", "J3", "F", popularity: 30, genre: "jazz"),
        At(80, "rock-far", "R4", "G", popularity: 60, genre: "rock"),
    ]);

    public void Dispose() => _feed.Dispose();

    [Fact]
    public async Task A_full_page_names_no_limiting_filter()
    {
        var (rows, end) = await _feed.RecommendAsync(Query("seed", k: 3));

        Assert.Equal(3, rows.Count);
        Assert.Equal("", end.LimitedBy);
        Assert.Equal(3 + 1, end.CandidatesPassed); // the page, and the one looked at to tell it is not the end
    }

    [Fact]
    public async Task A_short_page_names_the_filter_that_removed_the_most_and_the_counts_add_up()
    {
        var query = Query("seed", k: 5) with { Filter = new TrackFilter { IncludeGenres = ["jazz"], MaxPopularity = 25 } };

        var (rows, end) = await _feed.RecommendAsync(query);

        Assert.Equal(["jazz-1", "jazz-2"], rows.Select(r => r.Track.TrackId));
        Assert.True(end.Exhausted);
        Assert.Equal("genre", end.LimitedBy);
        var removed = end.Removals.ToDictionary(r => r.Stage, r => r.Removed);
        Assert.Equal(4, removed["genre"]);
        Assert.Equal(1, removed["popularity"]);
        Assert.Equal(1, removed["seed"]);
        Assert.Equal(end.CandidatesExamined, end.CandidatesPassed + end.Removals.Sum(r => r.Removed));
    }

    [Fact]
    public async Task Min_score_cuts_the_feed_where_the_scores_fall_below_it_and_is_named_as_the_limit()
    {
        var floor = _feed.Snapshot.Scale.Score(MathF.Cos(7 * MathF.PI / 180));

        var (rows, end) = await _feed.RecommendAsync(Query("seed", k: 10) with { MinScore = floor });

        Assert.Equal(["rock-1", "jazz-1", "rock-2"], rows.Select(r => r.Track.TrackId));
        Assert.All(rows, r => Assert.True(r.Score >= floor));
        Assert.Equal("min_score", end.LimitedBy);
        Assert.True(end.Exhausted);
        Assert.Equal(1, end.Removals.Single(r => r.Stage == "min_score").Removed);
    }

    [Fact]
    public async Task Min_score_cuts_a_best_score_feed_too()
    {
        var floor = _feed.Snapshot.Scale.Score(MathF.Cos(7 * MathF.PI / 180));

        var (rows, end) = await _feed.RecommendAsync(Query("seed", k: 10) with { MinScore = floor, Strategy = SeedStrategy.BestScore });

        Assert.Equal(["rock-1", "jazz-1", "rock-2"], rows.Select(r => r.Track.TrackId));
        Assert.Equal("min_score", end.LimitedBy);
    }

    [Fact]
    public async Task A_catalogue_that_simply_runs_out_is_named_as_the_limit()
    {
        var (rows, end) = await _feed.RecommendAsync(Query("seed", k: 20));

        Assert.Equal(7, rows.Count);
        Assert.Equal("catalogue", end.LimitedBy);
    }

    [Fact]
    public async Task Shelves_hold_group_size_rows_per_group_for_k_groups_best_group_first()
    {
        var (rows, end) = await _feed.RecommendAsync(Query("seed", k: 2) with { GroupBy = FeedGrouping.Genre, GroupSize = 2 });

        Assert.Equal(["rock-1", "rock-2", "jazz-1", "jazz-2"], rows.Select(r => r.Track.TrackId));
        Assert.Equal(["rock", "rock", "jazz", "jazz"], rows.Select(r => r.Group));
        Assert.Equal([1, 2, 3, 4], rows.Select(r => r.Rank));
        Assert.Equal("", end.LimitedBy);
    }

    [Fact]
    public async Task A_shelf_its_group_cannot_fill_stays_short_without_making_the_page_short()
    {
        // Seven candidates in two genres: jazz has three, so a third shelf never opens and the jazz shelf holds three.
        var (full, fullEnd) = await _feed.RecommendAsync(Query("seed", k: 2) with { GroupBy = FeedGrouping.Genre, GroupSize = 4 });
        var (missing, missingEnd) = await _feed.RecommendAsync(Query("seed", k: 3) with { GroupBy = FeedGrouping.Genre, GroupSize = 4 });

        Assert.Equal([4, 3], full.GroupBy(r => r.Group).Select(g => g.Count()));
        Assert.Equal("", fullEnd.LimitedBy);
        Assert.Equal(7, missing.Count);
        Assert.Equal("catalogue", missingEnd.LimitedBy);
    }

    [Fact]
    public async Task Shelves_by_artist_take_each_tracks_first_artist()
    {
        var (rows, _) = await _feed.RecommendAsync(Query("seed", k: 3) with { GroupBy = FeedGrouping.Artist, GroupSize = 1 });

        Assert.Equal(["A", "B", "C"], rows.Select(r => r.Group));
    }
}
