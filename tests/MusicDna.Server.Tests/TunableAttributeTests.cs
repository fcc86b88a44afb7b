using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>Tunable attributes over the real server: min_/max_ hard limits, target_ pulls, attribute-only search, relative steering.</summary>
[Collection(SteeringServer.Name)]
public sealed class TunableAttributeTests(TrainedServerFixture fixture)
{
    private MusicDnaService.MusicDnaServiceClient Client => fixture.Server.Client;

    private Track Seed => fixture.Catalogue[17];

    [Fact]
    public async Task Min_and_max_tempo_with_min_energy_hold_for_every_row_and_k_rows_come_back()
    {
        var qualifying = fixture.Catalogue.Count(t => t.Features.Tempo is >= 100 and <= 130 && t.Features.Energy >= 0.6);
        Assert.True(qualifying > 40, $"the sample holds {qualifying} qualifying tracks");

        var (rows, end) = await Client.RecommendPageAsync(new RecommendRequest
        {
            TrackId = Seed.TrackId,
            K = 30,
            Attributes = new TunableAttributes { MinTempo = 100, MaxTempo = 130, MinEnergy = 0.6 },
        });

        Assert.Equal(30, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.InRange(r.Track.Features.Tempo, 100, 130);
            Assert.True(r.Track.Features.Energy >= 0.6, $"{r.Track.TrackId} energy {r.Track.Features.Energy}");
        });
        Assert.Contains(end.Removals, r => r.Stage == "attributes" && r.Removed > 0);
        Assert.Equal("", end.LimitedBy);
    }

    [Fact]
    public async Task Popularity_and_duration_limits_hold_for_every_row()
    {
        var (rows, _) = await Client.RecommendPageAsync(new RecommendRequest
        {
            TrackId = Seed.TrackId,
            K = 20,
            Attributes = new TunableAttributes { MinPopularity = 30, MaxPopularity = 60, MinDurationMs = 150_000, MaxDurationMs = 300_000 },
        });

        Assert.Equal(20, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.InRange(r.Track.Popularity, 30, 60);
            Assert.InRange(r.Track.DurationMs, 150_000, 300_000);
        });
    }

    [Fact]
    public async Task A_target_energy_raises_the_feeds_mean_energy_against_the_same_seeds_without_it()
    {
        var seed = fixture.Catalogue.First(t => t.Features.Energy < 0.35);
        var plain = await Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = 20 });
        var pulled = await Client.RecommendPageAsync(new RecommendRequest
        {
            TrackId = seed.TrackId,
            K = 20,
            Attributes = new TunableAttributes { TargetEnergy = 0.9 },
        });

        var (before, after) = (plain.Rows.Average(r => r.Track.Features.Energy), pulled.Rows.Average(r => r.Track.Features.Energy));
        Assert.True(after > before + 0.05, $"mean energy {before:F3} without the target, {after:F3} with it");
        Assert.All(pulled.Rows, r => Assert.True(r.RankingScore <= r.Score, "the pull only subtracts from the score"));
        Assert.Equal(pulled.Rows.Select(r => r.RankingScore).OrderDescending(), pulled.Rows.Select(r => r.RankingScore));
    }

    [Fact]
    public async Task An_attribute_only_request_with_no_seed_searches_the_whole_catalogue_towards_the_targets()
    {
        var genre = fixture.Catalogue.GroupBy(t => t.Genre).OrderByDescending(g => g.Count()).First();
        var (rows, end) = await Client.RecommendPageAsync(new RecommendRequest
        {
            K = 10,
            Filter = new RecommendFilter { IncludeGenres = { genre.Key } },
            Attributes = new TunableAttributes { TargetEnergy = 0.8, TargetDanceability = 0.7 },
        });

        Assert.Equal(10, rows.Count);
        Assert.All(rows, r => Assert.Equal(genre.Key, r.Track.Genre));
        static double Gap(AudioFeatures f) => Math.Abs(f.Energy - 0.8) + Math.Abs(f.Danceability - 0.7);
        var feedGap = rows.Average(r => Gap(r.Track.Features));
        var genreGap = genre.Average(t => Gap(t.Features));
        var nearestTwentyGap = genre.Select(t => Gap(t.Features)).Order().Take(20).Average();
        Assert.True(feedGap < genreGap && feedGap <= nearestTwentyGap,
            $"mean gap to the targets {feedGap:F3} in the feed, {nearestTwentyGap:F3} over the genre's 20 nearest tracks, {genreGap:F3} over the genre ({genre.Count()} tracks)");
        Assert.Empty(end.SkippedSeedIds);
    }

    [Fact]
    public async Task Steering_energy_up_or_down_moves_the_feeds_mean_energy_the_way_asked()
    {
        var seed = fixture.Catalogue.First(t => t.Features.Energy is > 0.45 and < 0.6);
        async Task<double> MeanEnergy(FeatureOffsets? steer)
        {
            var (rows, _) = await Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = 20, Steer = steer });
            Assert.Equal(20, rows.Count);
            Assert.DoesNotContain(rows, r => r.Track.TrackId == seed.TrackId);
            return rows.Average(r => r.Track.Features.Energy);
        }

        var plain = await MeanEnergy(null);
        var up = await MeanEnergy(new FeatureOffsets { Energy = 0.35 });
        var down = await MeanEnergy(new FeatureOffsets { Energy = -0.35 });

        Assert.True(up > plain && plain > down, $"mean energy: steered down {down:F3}, plain {plain:F3}, steered up {up:F3}");
    }

    [Fact]
    public async Task Steering_valence_down_lowers_the_feeds_mean_valence()
    {
        var seed = fixture.Catalogue.First(t => t.Features.Valence is > 0.5 and < 0.7);
        var plain = await Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = 20 });
        var sadder = await Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = 20, Steer = new FeatureOffsets { Valence = -0.4 } });

        var (before, after) = (plain.Rows.Average(r => r.Track.Features.Valence), sadder.Rows.Average(r => r.Track.Features.Valence));
        Assert.True(after < before, $"mean valence {before:F3} plain, {after:F3} steered -0.4");
    }

    [Theory]
    [InlineData("max_energy")]
    [InlineData("target_energy")]
    [InlineData("min_tempo")]
    [InlineData("target_weight")]
    [InlineData("steer.energy")]
    [InlineData("seed")]
    public async Task A_contradictory_or_out_of_range_tuning_is_invalid_argument_naming_the_field(string field)
    {
        var request = new RecommendRequest { TrackId = Seed.TrackId };
        switch (field)
        {
            case "max_energy":
                request.Attributes = new TunableAttributes { MinEnergy = 0.8, MaxEnergy = 0.2 };
                break;
            case "target_energy":
                request.Attributes = new TunableAttributes { TargetEnergy = double.NaN };
                break;
            case "min_tempo":
                request.Attributes = new TunableAttributes { MinTempo = 500 };
                break;
            case "target_weight":
                request.TargetWeight = 2;
                break;
            case "steer.energy":
                request.Steer = new FeatureOffsets { Energy = 1.5 };
                break;
            case "seed":
                request = new RecommendRequest { Attributes = new TunableAttributes { MinEnergy = 0.5 } };
                break;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendPageAsync(request));
        var expected = field is "target_weight" or "steer.energy" or "seed" ? field : "attributes." + field;
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", expected), error.Describe());
    }
}
