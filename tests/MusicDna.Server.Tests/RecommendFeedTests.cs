using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using MusicDna.Contracts.V1;
using MusicDna.Engine;
using Recommendation = MusicDna.Contracts.V1.Recommendation;
using SeedStrategy = MusicDna.Contracts.V1.SeedStrategy;

namespace MusicDna.Server.Tests;

/// <summary>Recommend as a discovery feed over the real server: seeds, filters, long tail, diversity, caps, explanations, pages.</summary>
public sealed class RecommendFeedTests(TrainedServerFixture fixture) : IClassFixture<TrainedServerFixture>
{
    private MusicDnaService.MusicDnaServiceClient Client => fixture.Server.Client;

    private Track Seed => fixture.Catalogue[17];

    [Fact]
    public async Task A_negative_seed_moves_results_away_from_it()
    {
        var plain = await Client.RecommendPageAsync(new RecommendRequest { TrackId = Seed.TrackId, K = 20 });
        var negative = fixture.Catalogue.Single(t => t.TrackId == plain.Rows[0].Track.TrackId);
        var steered = await Client.RecommendPageAsync(new RecommendRequest
        {
            TrackId = Seed.TrackId,
            K = 20,
            Seeds = { new Seed { TrackId = negative.TrackId, Negative = true, Weight = 0.8 } },
        });

        var vectors = await Client.UnitVectorsAsync(fixture.Catalogue);
        double MeanCosineToNegative(List<Recommendation> rows) =>
            rows.Average(r => ClientExtensions.Cosine(vectors[r.Track.TrackId], vectors[negative.TrackId]));

        Assert.DoesNotContain(steered.Rows, r => r.Track.TrackId == negative.TrackId);
        Assert.True(MeanCosineToNegative(steered.Rows) < MeanCosineToNegative(plain.Rows),
            $"{MeanCosineToNegative(steered.Rows)} vs {MeanCosineToNegative(plain.Rows)}");
    }

    [Fact]
    public async Task Every_row_carries_the_ingested_track_field_for_field()
    {
        // The catalogue keeps the last row of a repeated track id, as BulkIngest upserts.
        var ingested = new Dictionary<string, Track>();
        foreach (var track in fixture.Catalogue)
        {
            ingested[track.TrackId] = track;
        }

        var (rows, _) = await Client.RecommendPageAsync(new RecommendRequest { TrackId = Seed.TrackId, K = 200 });

        Assert.Equal(200, rows.Count);
        Assert.All(rows, r => Assert.Equal(ingested[r.Track.TrackId], r.Track));
        Assert.Contains(rows, r => r.Track.Artists.Count > 1);
    }

    [Fact]
    public async Task Best_score_ranks_by_the_best_positive_cosine_exactly_as_brute_force_does()
    {
        var first = fixture.Catalogue[3];
        var second = fixture.Catalogue[700];
        var page = await Client.RecommendPageAsync(new RecommendRequest
        {
            K = 15,
            Strategy = SeedStrategy.BestScore,
            Seeds = { new Seed { TrackId = first.TrackId }, new Seed { TrackId = second.TrackId } },
        });

        var vectors = await Client.UnitVectorsAsync(fixture.Catalogue);
        var expected = fixture.Catalogue
            .Where(t => t.TrackId != first.TrackId && t.TrackId != second.TrackId)
            .Select(t => Math.Max(ClientExtensions.Cosine(vectors[t.TrackId], vectors[first.TrackId]), ClientExtensions.Cosine(vectors[t.TrackId], vectors[second.TrackId])))
            .OrderDescending()
            .Take(15)
            .ToList();
        Assert.Equal(15, page.Rows.Count);
        Assert.All(page.Rows.Zip(expected), pair => Assert.Equal(pair.Second, pair.First.Cosine, 3));
    }

    [Fact]
    public async Task A_genre_holding_one_percent_of_the_catalogue_still_fills_k_rows_and_says_when_it_is_exhausted()
    {
        var genre = fixture.Catalogue.GroupBy(t => t.Genre).First(g => g.Count() >= 8 && g.Key != Seed.Genre);
        var inGenre = genre.Count();
        Assert.InRange(inGenre / (double)fixture.Catalogue.Count, 0.005, 0.015);

        var some = await Client.RecommendPageAsync(new RecommendRequest
        {
            TrackId = Seed.TrackId, K = inGenre - 2, Filter = new RecommendFilter { IncludeGenres = { genre.Key.ToUpperInvariant() } },
        });
        var all = await Client.RecommendPageAsync(new RecommendRequest
        {
            TrackId = Seed.TrackId, K = 1000, Filter = new RecommendFilter { IncludeGenres = { genre.Key } },
        });

        Assert.Equal(inGenre - 2, some.Rows.Count);
        Assert.All(some.Rows, r => Assert.Equal(genre.Key, r.Track.Genre));
        Assert.False(some.End.Exhausted);
        Assert.NotEmpty(some.End.NextPageToken);
        Assert.Equal(genre.Select(t => t.TrackId).Order(), all.Rows.Select(r => r.Track.TrackId).Order());
        Assert.True(all.End.Exhausted);
        Assert.Empty(all.End.NextPageToken);
        Assert.Equal(all.Rows.Select(r => r.Score).OrderDescending(), all.Rows.Select(r => r.Score));
    }

    [Fact]
    public async Task Every_filter_holds_for_every_returned_row_and_k_rows_still_come_back()
    {
        var plain = await Client.RecommendPageAsync(new RecommendRequest { TrackId = Seed.TrackId, K = 5 });
        var excludedIds = plain.Rows.Select(r => r.Track.TrackId).ToList();
        var filter = new RecommendFilter
        {
            ExcludeGenres = { Seed.Genre, "pop" },
            ExcludeSeedArtists = true,
            ExcludeExplicit = true,
            MinPopularity = 10,
            MaxPopularity = 60,
            MinTempo = 90,
            MaxTempo = 140,
            ExcludeTrackIds = { excludedIds },
        };

        var page = await Client.RecommendPageAsync(new RecommendRequest { TrackId = Seed.TrackId, K = 40, Filter = filter });

        Assert.Equal(40, page.Rows.Count);
        Assert.All(page.Rows, r =>
        {
            Assert.NotEqual(Seed.Genre, r.Track.Genre);
            Assert.NotEqual("pop", r.Track.Genre);
            Assert.Empty(r.Track.Artists.Intersect(Seed.Artists, StringComparer.OrdinalIgnoreCase));
            Assert.False(r.Track.Explicit);
            Assert.InRange(r.Track.Popularity, 10, 60);
            Assert.InRange(r.Track.Features.Tempo, 90, 140);
            Assert.DoesNotContain(r.Track.TrackId, excludedIds);
        });
        Assert.True(page.End.CandidatesExamined > 40);
    }

    [Fact]
    public async Task Long_tail_mode_lowers_the_mean_popularity_against_plain_mode_on_the_same_seed()
    {
        var plain = await Client.RecommendPageAsync(new RecommendRequest { TrackId = Seed.TrackId, K = 20 });
        var longTail = await Client.RecommendPageAsync(new RecommendRequest { TrackId = Seed.TrackId, K = 20, LongTail = true, PopularityPenalty = 0.3 });

        Assert.True(longTail.Rows.Average(r => r.Track.Popularity) < plain.Rows.Average(r => r.Track.Popularity));
        Assert.All(longTail.Rows, r => Assert.Equal(r.Score - (0.3f * r.Track.Popularity / 100f), r.RankingScore, 4));
        Assert.Equal(longTail.Rows.Select(r => r.RankingScore).OrderDescending(), longTail.Rows.Select(r => r.RankingScore));
        Assert.All(plain.Rows, r => Assert.Equal(r.Score, r.RankingScore));
    }

    [Fact]
    public async Task Diversity_raises_the_mean_pairwise_distance_of_results()
    {
        var plain = await Client.RecommendPageAsync(new RecommendRequest { TrackId = Seed.TrackId, K = 20 });
        var diverse = await Client.RecommendPageAsync(new RecommendRequest { TrackId = Seed.TrackId, K = 20, Diversity = 0.6 });

        var vectors = await Client.UnitVectorsAsync(fixture.Catalogue);
        double MeanPairwiseDistance(List<Recommendation> rows) =>
            rows.SelectMany((a, i) => rows.Skip(i + 1).Select(b => 1 - ClientExtensions.Cosine(vectors[a.Track.TrackId], vectors[b.Track.TrackId]))).Average();

        Assert.Equal(20, diverse.Rows.Count);
        Assert.True(MeanPairwiseDistance(diverse.Rows) > MeanPairwiseDistance(plain.Rows) * 1.2,
            $"{MeanPairwiseDistance(diverse.Rows)} vs {MeanPairwiseDistance(plain.Rows)}");
        Assert.Equal(plain.Rows[0].Track.TrackId, diverse.Rows[0].Track.TrackId);
    }

    [Fact]
    public async Task The_per_artist_cap_holds_where_plain_ranking_repeats_an_artist()
    {
        var artist = fixture.Catalogue.SelectMany(t => t.Artists).GroupBy(a => a).OrderByDescending(g => g.Count()).First().Key;
        var seed = fixture.Catalogue.First(t => t.Artists.Contains(artist));
        static int MostTracksOfOneArtist(List<Recommendation> rows) => rows.SelectMany(r => r.Track.Artists).GroupBy(a => a, StringComparer.OrdinalIgnoreCase).Max(g => g.Count());

        var plain = await Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = 300 });
        var capped = await Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = 300, MaxTracksPerArtist = 1 });
        var cappedDiverse = await Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = 100, MaxTracksPerArtist = 1, Diversity = 0.3 });

        Assert.True(MostTracksOfOneArtist(plain.Rows) > 1);
        Assert.Equal(300, capped.Rows.Count);
        Assert.Equal(1, MostTracksOfOneArtist(capped.Rows));
        Assert.Equal(1, MostTracksOfOneArtist(cappedDiverse.Rows));
    }

    [Fact]
    public async Task Explanations_name_the_closest_and_furthest_features_and_are_zero_for_the_seed_itself()
    {
        var page = await Client.RecommendPageAsync(new RecommendRequest { Features = Seed.Features, K = 5, Explain = true });

        Assert.Equal(Seed.TrackId, page.Rows[0].Track.TrackId); // a features seed does not exclude the track it came from
        Assert.All(page.Rows[0].Explanation.Closest, c => Assert.Equal(0, c.Difference, 6));
        Assert.Empty(page.Rows[0].Explanation.Furthest); // nothing differs from the seed itself
        Assert.All(page.Rows.Skip(1), r =>
        {
            Assert.Equal(3, r.Explanation.Closest.Count);
            Assert.InRange(r.Explanation.Furthest.Count, 1, 2);
            Assert.True(Math.Abs(r.Explanation.Closest[0].ScaledDifference) <= Math.Abs(r.Explanation.Furthest[0].ScaledDifference));
            Assert.All(r.Explanation.Closest.Concat(r.Explanation.Furthest), c => Assert.Equal(c.TrackValue - c.SeedValue, c.Difference, 9));
        });
        var tempoOfSeed = page.Rows.SelectMany(r => r.Explanation.Closest.Concat(r.Explanation.Furthest)).Where(c => c.Feature == "tempo").Select(c => c.SeedValue).Distinct();
        Assert.True(tempoOfSeed.Count() <= 1);
        var unexplained = await Client.RecommendPageAsync(new RecommendRequest { TrackId = Seed.TrackId, K = 2 });
        Assert.All(unexplained.Rows, r => Assert.Null(r.Explanation));
    }

    [Fact]
    public async Task Continuation_returns_no_repeats_across_three_pages_and_continues_the_same_ranking()
    {
        var request = new RecommendRequest { TrackId = Seed.TrackId, K = 10, Filter = new RecommendFilter { ExcludeExplicit = true } };
        var pages = new List<List<Recommendation>>();
        for (var i = 0; i < 3; i++)
        {
            var page = await Client.RecommendPageAsync(request);
            pages.Add(page.Rows);
            request = request.Clone();
            request.PageToken = page.End.NextPageToken;
        }

        var continued = pages.SelectMany(p => p).Select(r => r.Track.TrackId).ToList();
        var oneGo = await Client.RecommendPageAsync(new RecommendRequest { TrackId = Seed.TrackId, K = 30, Filter = new RecommendFilter { ExcludeExplicit = true } });
        Assert.Equal(30, continued.Distinct().Count());
        Assert.Equal(oneGo.Rows.Select(r => r.Track.TrackId), continued);
    }

    [Fact]
    public async Task Diverse_pages_continue_without_repeats_too()
    {
        var request = new RecommendRequest { TrackId = Seed.TrackId, K = 15, Diversity = 0.5, LongTail = true };
        var seen = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var page = await Client.RecommendPageAsync(request);
            Assert.Equal(15, page.Rows.Count);
            seen.AddRange(page.Rows.Select(r => r.Track.TrackId));
            request.PageToken = page.End.NextPageToken;
        }

        Assert.Equal(45, seen.Distinct().Count());
    }

    [Fact]
    public async Task A_damaged_or_foreign_page_token_is_InvalidArgument()
    {
        var first = await Client.RecommendPageAsync(new RecommendRequest { TrackId = Seed.TrackId, K = 3 });
        var token = first.End.NextPageToken;
        var damaged = token[..^2] + (token[^2] == 'A' ? "BA" : "AA");

        var tampered = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendAsync(new RecommendRequest { TrackId = Seed.TrackId, PageToken = damaged }));
        var garbage = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendAsync(new RecommendRequest { TrackId = Seed.TrackId, PageToken = "not a token!" }));
        var otherRequest = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendAsync(new RecommendRequest { TrackId = fixture.Catalogue[5].TrackId, PageToken = token }));

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_PAGE_TOKEN", "page_token"), tampered.Describe());
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_PAGE_TOKEN", "page_token"), garbage.Describe());
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_PAGE_TOKEN", "page_token"), otherRequest.Describe());
    }

    [Fact]
    public async Task A_cancelled_stream_stops_server_work_before_the_page_is_done()
    {
        var counters = fixture.Server.Services.GetRequiredService<EngineCounters>();
        var abandonedBefore = counters.FeedsAbandoned;
        var completedBefore = counters.FeedsCompleted;
        var streamedBefore = counters.RowsStreamed;
        var rowsBefore = counters.RowsStreamedByAbandonedFeeds;
        using var cancel = new CancellationTokenSource();

        // 1,000 explained rows are far more than HTTP/2 flow control lets the server send unread.
        using var call = Client.Recommend(new RecommendRequest { TrackId = Seed.TrackId, K = 1000, Explain = true }, cancellationToken: cancel.Token);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        await cancel.CancelAsync();

        var stopped = await Poll.UntilAsync(() => counters.FeedsAbandoned > abandonedBefore, TimeSpan.FromSeconds(20));
        Assert.True(stopped, $"the server never reported the feed as abandoned (feeds completed meanwhile: {counters.FeedsCompleted - completedBefore}, rows streamed: {counters.RowsStreamed - streamedBefore})");
        Assert.InRange(counters.RowsStreamedByAbandonedFeeds - rowsBefore, 1, 999);
    }

    [Fact]
    public async Task Unknown_seed_ids_are_NotFound_naming_them_or_skipped_and_listed_when_the_caller_opts_in()
    {
        var request = new RecommendRequest
        {
            TrackId = Seed.TrackId,
            K = 3,
            Seeds = { new Seed { TrackId = "ghost-1" }, new Seed { TrackId = "ghost-2", Negative = true } },
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendAsync(request));
        request.SkipUnknownSeeds = true;
        var page = await Client.RecommendPageAsync(request);
        var onlyGhosts = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendAsync(new RecommendRequest
        {
            SkipUnknownSeeds = true, Seeds = { new Seed { TrackId = "ghost-1" } },
        }));

        Assert.Equal((StatusCode.NotFound, "TRACK_NOT_FOUND", null), error.Describe());
        Assert.Contains("ghost-1", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("ghost-2", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(3, page.Rows.Count);
        Assert.Equal(["ghost-1", "ghost-2"], page.End.SkippedSeedIds);
        Assert.Equal(StatusCode.NotFound, onlyGhosts.StatusCode);
    }

    [Theory]
    [InlineData("seeds[0].weight")]
    [InlineData("seeds")]
    [InlineData("diversity")]
    [InlineData("filter.max_popularity")]
    [InlineData("filter.max_tempo")]
    [InlineData("filter.min_tempo")]
    [InlineData("filter.exclude_genres")]
    [InlineData("filter.exclude_track_ids[0]")]
    [InlineData("popularity_penalty")]
    [InlineData("max_tracks_per_artist")]
    [InlineData("strategy")]
    [InlineData("seeds[0].features.tempo")]
    public async Task An_invalid_or_contradictory_option_is_InvalidArgument_naming_it(string field)
    {
        var request = new RecommendRequest { TrackId = Seed.TrackId };
        switch (field)
        {
            case "seeds[0].weight": request.Seeds.Add(new Seed { TrackId = Seed.TrackId, Weight = -2 }); break;
            case "seeds": request.ClearSeed(); request.Seeds.Add(new Seed { TrackId = Seed.TrackId, Negative = true }); break;
            case "diversity": request.Diversity = 1.5; break;
            case "filter.max_popularity": request.Filter = new RecommendFilter { MinPopularity = 50, MaxPopularity = 20 }; break;
            case "filter.max_tempo": request.Filter = new RecommendFilter { MinTempo = 150, MaxTempo = 100 }; break;
            case "filter.min_tempo": request.Filter = new RecommendFilter { MinTempo = double.NaN }; break;
            case "filter.exclude_genres": request.Filter = new RecommendFilter { IncludeGenres = { "rock" }, ExcludeGenres = { "ROCK" } }; break;
            case "filter.exclude_track_ids[0]": request.Filter = new RecommendFilter { ExcludeTrackIds = { "" } }; break;
            case "popularity_penalty": request.PopularityPenalty = 0.5; break;
            case "max_tracks_per_artist": request.MaxTracksPerArtist = -1; break;
            case "strategy": request.Strategy = (SeedStrategy)9; break;
            case "seeds[0].features.tempo": request.Seeds.Add(new Seed { Features = Seed.Features.Clone(f => f.Tempo = 999) }); break;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendAsync(request));

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", field), error.Describe());
    }

    [Fact]
    public async Task Genre_benders_are_ranked_by_the_entropy_of_their_neighbours_genres()
    {
        var all = await Client.FindGenreBendersAsync(new FindGenreBendersRequest { K = 5, Neighbours = 10 });
        var genre = Seed.Genre;
        var within = await Client.FindGenreBendersAsync(new FindGenreBendersRequest { K = 3, Genre = genre });

        Assert.Equal(TrainedServerFixture.CatalogueSize, all.Candidates);
        Assert.Equal(5, all.Benders.Count);
        Assert.Equal(all.Benders.Select(b => b.Entropy).OrderDescending(), all.Benders.Select(b => b.Entropy));
        Assert.All(all.Benders, b =>
        {
            Assert.Equal(10, b.NeighbourGenres.Sum(g => g.Count));
            var entropy = -b.NeighbourGenres.Sum(g => g.Count / 10.0 * Math.Log2(g.Count / 10.0));
            Assert.Equal(entropy, b.Entropy, 9);
            Assert.True(b.NeighbourGenres.Count > 1);
        });
        Assert.All(within.Benders, b => Assert.Equal(genre, b.Track.Genre));
        Assert.Equal(fixture.Catalogue.Count(t => t.Genre == genre), within.Candidates);
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.FindGenreBendersAsync(new FindGenreBendersRequest { Neighbours = 1 }).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "neighbours"), error.Describe());
    }
}

