using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>
/// Readable scores and the score floor, explanations in units, diagnostics, radio sessions (history and the artist
/// window across pages) and shelves, over the real server; every new option refused out of range, naming its field.
/// </summary>
[Collection(VersionedCatalogueFixture.Collection)]
public sealed class FeedSessionTests(VersionedCatalogueFixture fixture)
{
    private MusicDnaService.MusicDnaServiceClient Client => fixture.Server.Client;

    private string SeedId => fixture.Seed.TrackId;

    [Fact]
    public async Task Scores_spread_where_raw_cosines_crowd_and_rank_exactly_as_the_cosines_do()
    {
        var (rows, _) = await Client.RecommendPageAsync(new RecommendRequest { TrackId = SeedId, K = 50, IncludeSongVersions = true });

        var vectors = await Client.UnitVectorsAsync(fixture.Catalogue);
        Assert.All(rows, r => Assert.Equal(ClientExtensions.Cosine(vectors[r.Track.TrackId], vectors[SeedId]), r.Cosine, 4));
        Assert.Equal(rows.Select(r => r.Cosine).OrderDescending(), rows.Select(r => r.Cosine));
        Assert.Equal(rows.Select(r => r.Score).OrderDescending(), rows.Select(r => r.Score));
        Assert.All(rows, r => Assert.True(r.Score <= 1));

        // A same-feature version of the seed reads 1; the spread of the scores is many times that of the cosines.
        Assert.Equal(1, rows[0].Score, 3);
        var scoreSpread = rows[2].Score - rows[^1].Score;
        var cosineSpread = rows[2].Cosine - rows[^1].Cosine;
        Assert.True(scoreSpread > 5 * cosineSpread, $"scores spread {scoreSpread}, cosines {cosineSpread}");
    }

    [Fact]
    public async Task Min_score_cuts_the_feed_and_the_end_names_it_as_the_limit()
    {
        var plain = await Client.RecommendPageAsync(new RecommendRequest { TrackId = SeedId, K = 30 });
        var floor = plain.Rows[9].Score;

        var (rows, end) = await Client.RecommendPageAsync(new RecommendRequest { TrackId = SeedId, K = 30, MinScore = floor });

        Assert.InRange(rows.Count, 10, 29);
        Assert.All(rows, r => Assert.True(r.Score >= floor));
        Assert.Equal(plain.Rows.Take(rows.Count).Select(r => r.Track.TrackId), rows.Select(r => r.Track.TrackId));
        Assert.Equal("min_score", end.LimitedBy);
        Assert.True(end.Exhausted);
        Assert.Equal(1, end.Removals.Single(r => r.Stage == "min_score").Removed);
    }

    [Fact]
    public async Task A_short_feed_names_the_filter_that_limited_it_and_the_counts_add_up()
    {
        var genre = fixture.Catalogue.GroupBy(t => t.Genre).First(g => g.Key != fixture.Seed.Genre);

        var (rows, end) = await Client.RecommendPageAsync(new RecommendRequest
        {
            TrackId = SeedId, K = 1000, Filter = new RecommendFilter { IncludeGenres = { genre.Key }, MinPopularity = 1 },
        });

        Assert.True(rows.Count < 1000);
        Assert.Equal("genre", end.LimitedBy);
        var removed = end.Removals.ToDictionary(r => r.Stage, r => r.Removed);
        Assert.True(removed["genre"] > fixture.Catalogue.Count / 2);
        Assert.Equal(end.CandidatesExamined, end.CandidatesPassed + end.Removals.Sum(r => r.Removed));
        Assert.Equal(rows.Count, end.CandidatesPassed);
    }

    [Fact]
    public async Task A_full_feed_names_no_limit_and_counts_what_passed()
    {
        var (rows, end) = await Client.RecommendPageAsync(new RecommendRequest { TrackId = SeedId, K = 10 });

        Assert.Equal(10, rows.Count);
        Assert.Equal("", end.LimitedBy);
        Assert.True(end.CandidatesPassed >= 10);
        Assert.True(end.CandidatesExamined >= end.CandidatesPassed);
    }

    [Fact]
    public async Task Explanations_are_in_the_features_units_and_name_discrete_features_only_when_they_differ()
    {
        var (rows, _) = await Client.RecommendPageAsync(new RecommendRequest { TrackId = SeedId, K = 20, Explain = true });

        var seed = fixture.Seed.Features;
        foreach (var r in rows)
        {
            var why = r.Explanation;
            Assert.Equal(3, why.Closest.Count);
            Assert.InRange(why.Furthest.Count, 0, 2);
            foreach (var c in why.Closest.Concat(why.Furthest))
            {
                Assert.Contains(c.Unit, new[] { "%", "dB", "BPM", "" });
                Assert.False(string.IsNullOrWhiteSpace(c.Text));
                Assert.Equal(c.TrackValue - c.SeedValue, c.Difference, 9);
            }

            var tempo = why.Closest.Concat(why.Furthest).FirstOrDefault(c => c.Feature == "tempo");
            if (tempo is not null)
            {
                Assert.Equal(("BPM", seed.Tempo, r.Track.Features.Tempo), (tempo.Unit, tempo.SeedValue, tempo.TrackValue));
            }

            var energy = why.Closest.Concat(why.Furthest).FirstOrDefault(c => c.Feature == "energy");
            if (energy is not null)
            {
                Assert.Equal(("%", seed.Energy * 100, r.Track.Features.Energy * 100), (energy.Unit, energy.SeedValue, energy.TrackValue));
            }

            var key = why.Closest.Concat(why.Furthest).FirstOrDefault(c => c.Feature == "key");
            Assert.True(key is null || key.Text.StartsWith("same key", StringComparison.Ordinal) == (r.Track.Features.Key == seed.Key));
            Assert.DoesNotContain(why.Closest, c => c.Feature is "mode" or "time_signature");
            Assert.All(why.Furthest.Where(c => c.Feature is "key" or "mode" or "time_signature"), c => Assert.NotEqual(c.SeedValue, c.TrackValue));
        }
    }

    [Fact]
    public async Task A_radio_session_keeps_history_out_and_no_artist_within_the_window_across_three_pages()
    {
        const int window = 4;
        var plain = await Client.RecommendPageAsync(new RecommendRequest { TrackId = SeedId, K = 15 });
        Assert.True(RepeatsWithin(plain.Rows, window), "the plain feed repeats an artist within the window, or the test proves nothing");

        var played = new List<string> { plain.Rows[0].Track.TrackId, "v-near-album" };
        var heard = new List<Recommendation>();
        var token = "";
        for (var page = 0; page < 3; page++)
        {
            var (rows, end) = await Client.RecommendPageAsync(new RecommendRequest
            {
                TrackId = SeedId, K = 5, ArtistWindow = window, History = { played }, PageToken = token,
            });
            Assert.Equal(5, rows.Count);
            heard.AddRange(rows);
            played.AddRange(rows.Select(r => r.Track.TrackId)); // the client adds what it played: the token stays valid
            token = end.NextPageToken;
        }

        Assert.DoesNotContain(heard, r => r.Track.TrackId == plain.Rows[0].Track.TrackId || r.Track.TrackId.StartsWith("v-near", StringComparison.Ordinal));
        Assert.Equal(heard.Count, heard.Select(r => r.SongId).Distinct().Count());
        Assert.False(RepeatsWithin(heard, window), string.Join(" | ", heard.Select(r => string.Join(",", r.Track.Artists))));
        Assert.InRange(heard.Count(r => r.Track.Artists.Contains(VersionedCatalogueFixture.Band)), 1, 3); // at most every fifth row
    }

    [Fact]
    public async Task Shelves_return_group_size_rows_for_each_of_k_groups()
    {
        var (rows, end) = await Client.RecommendPageAsync(new RecommendRequest { TrackId = SeedId, K = 4, GroupBy = GroupBy.Genre, GroupSize = 3 });

        Assert.Equal(12, rows.Count);
        var shelves = rows.GroupBy(r => r.Group).ToList();
        Assert.Equal(4, shelves.Count);
        Assert.All(shelves, s =>
        {
            Assert.Equal(3, s.Count());
            Assert.All(s, r => Assert.Equal(s.Key, r.Track.Genre));
            Assert.Equal(s.Select(r => r.Score).OrderDescending(), s.Select(r => r.Score));
        });
        Assert.Equal(3, rows.Zip(rows.Skip(1)).Count(pair => pair.First.Group != pair.Second.Group)); // shelf by shelf
        Assert.Equal(rows.Max(r => r.Score), rows[0].Score); // the best shelf first
        Assert.Equal(Enumerable.Range(1, 12), rows.Select(r => r.Rank));
        Assert.Equal("", end.LimitedBy);
    }

    [Fact]
    public async Task Shelves_by_artist_hold_one_artist_each()
    {
        var (rows, _) = await Client.RecommendPageAsync(new RecommendRequest { TrackId = SeedId, K = 3, GroupBy = GroupBy.Artist, GroupSize = 2 });

        Assert.Contains(rows, r => r.Group == VersionedCatalogueFixture.Band);
        Assert.All(rows, r => Assert.Equal(r.Group, r.Track.Artists[0]));
        Assert.Equal(2, rows.Count(r => r.Group == VersionedCatalogueFixture.Band));
    }

    public static TheoryData<string> InvalidOptions => [.. Invalid.Keys];

    private static Dictionary<string, (Action<RecommendRequest> Change, string Field)> Invalid { get; } = new()
    {
        ["min_score NaN"] = (r => r.MinScore = double.NaN, "min_score"),
        ["min_score 1000"] = (r => r.MinScore = 1000, "min_score"),
        ["song_version unknown"] = (r => r.SongVersion = (SongVersion)9, "song_version"),
        ["song_version with every version"] = (r => { r.SongVersion = SongVersion.BestMatch; r.IncludeSongVersions = true; }, "song_version"),
        ["history control character"] = (r => r.History.Add("a\u001bb"), "history[0]"),
        ["history empty id"] = (r => r.History.AddRange(["ok", ""]), "history[1]"),
        ["history 129 characters"] = (r => r.History.Add(new string('h', 129)), "history[0]"),
        ["history 1001 ids"] = (r => r.History.AddRange(Enumerable.Range(0, 1001).Select(i => $"h{i}")), "history"),
        ["artist_window 101"] = (r => r.ArtistWindow = 101, "artist_window"),
        ["artist_window -1"] = (r => r.ArtistWindow = -1, "artist_window"),
        ["group_by unknown"] = (r => r.GroupBy = (GroupBy)7, "group_by"),
        ["group_by with diversity"] = (r => { r.GroupBy = GroupBy.Genre; r.Diversity = 0.3; }, "group_by"),
        ["group_size without group_by"] = (r => r.GroupSize = 2, "group_size"),
        ["group_size 101"] = (r => { r.GroupBy = GroupBy.Genre; r.GroupSize = 101; }, "group_size"),
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public async Task A_new_option_out_of_range_or_contradictory_is_InvalidArgument_naming_its_field(string option)
    {
        var (change, field) = Invalid[option];
        var request = new RecommendRequest { TrackId = SeedId, K = 5 };
        change(request);

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendPageAsync(request));

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", field), error.Describe());
    }

    /// <summary>Whether a row shares an artist with one of the <paramref name="window"/> rows before it.</summary>
    private static bool RepeatsWithin(List<Recommendation> rows, int window) =>
        Enumerable.Range(0, rows.Count).Any(i => rows[Math.Max(0, i - window)..i].Any(
            earlier => earlier.Track.Artists.Intersect(rows[i].Track.Artists, StringComparer.OrdinalIgnoreCase).Any()));
}
