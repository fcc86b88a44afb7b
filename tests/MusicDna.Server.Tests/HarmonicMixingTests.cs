using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>Harmonic mixing over the real server: Camelot key filters relative to the seed, tempo windows with half and double time.</summary>
[Collection(SteeringServer.Name)]
public sealed class HarmonicMixingTests(TrainedServerFixture fixture)
{
    // The Camelot wheel, written out independently of the server's table: pitch class (0 = C) → number, major and minor.
    private static readonly int[] Major = [8, 3, 10, 5, 12, 7, 2, 9, 4, 11, 6, 1];
    private static readonly int[] Minor = [5, 12, 7, 2, 9, 4, 11, 6, 1, 8, 3, 10];

    private MusicDnaService.MusicDnaServiceClient Client => fixture.Server.Client;

    private static (int Number, char Letter)? Camelot(AudioFeatures f) =>
        f.Key < 0 ? null : f.Mode == 1 ? (Major[(int)f.Key], 'B') : (Minor[(int)f.Key], 'A');

    private static bool Mixes((int Number, char Letter) seed, (int Number, char Letter) track, bool boost)
    {
        var steps = ((track.Number - seed.Number) % 12 + 12) % 12;
        return seed.Letter == track.Letter ? steps is 0 or 1 or 11 || (boost && steps == 2) : steps == 0;
    }

    private Track KeyedSeed => fixture.Catalogue.First(t => t.Features.Key >= 0 && t.Features.Mode == 0 && t.Features.Key == 9); // A minor, 8A

    [Fact]
    public async Task A_compatible_key_filter_returns_every_key_compatible_track_and_nothing_else()
    {
        var seed = KeyedSeed;
        var seedKey = Camelot(seed.Features)!.Value;
        var expected = fixture.Catalogue
            .Where(t => t.TrackId != seed.TrackId && Camelot(t.Features) is { } key && Mixes(seedKey, key, boost: false))
            .Select(t => t.TrackId).ToHashSet();

        var (rows, end) = await Client.RecommendPageAsync(new RecommendRequest
        {
            TrackId = seed.TrackId,
            K = 1000,
            IncludeSongVersions = true,
            Filter = new RecommendFilter { KeyMatch = KeyMatch.Compatible },
        });

        Assert.Equal((8, 'A'), seedKey);
        Assert.All(rows, r => Assert.True(Camelot(r.Track.Features) is { } key && Mixes(seedKey, key, false), $"{r.Track.TrackId} key {r.Track.Features.Key} mode {r.Track.Features.Mode}"));
        Assert.Equal(expected.Order(), rows.Select(r => r.Track.TrackId).Order());
        Assert.Contains(rows, r => Camelot(r.Track.Features) == (7, 'A'));
        Assert.Contains(rows, r => Camelot(r.Track.Features) == (9, 'A'));
        Assert.Contains(rows, r => Camelot(r.Track.Features) == (8, 'B'));
        Assert.Contains(end.Removals, r => r.Stage == "key" && r.Removed > 0);
    }

    [Fact]
    public async Task The_same_key_filter_with_the_energy_boost_adds_two_steps_clockwise_only()
    {
        var seed = KeyedSeed;
        var (rows, _) = await Client.RecommendPageAsync(new RecommendRequest
        {
            TrackId = seed.TrackId,
            K = 1000,
            IncludeSongVersions = true,
            Filter = new RecommendFilter { KeyMatch = KeyMatch.Same, KeyEnergyBoost = true },
        });

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains(Camelot(r.Track.Features), new (int, char)?[] { (8, 'A'), (10, 'A') }));
        Assert.Contains(rows, r => Camelot(r.Track.Features) == (10, 'A'));
    }

    [Fact]
    public async Task A_tempo_window_accepts_half_and_double_time_only_when_asked()
    {
        var seed = fixture.Catalogue.First(t => t.Features.Tempo is > 85 and < 90);
        var tempo = seed.Features.Tempo;
        static bool Within(double value, double centre) => Math.Abs(value - centre) <= centre * 0.04 + 1e-9;
        var request = new RecommendRequest
        {
            TrackId = seed.TrackId,
            K = 1000,
            IncludeSongVersions = true,
            Filter = new RecommendFilter { TempoWindowPercent = 4 },
        };

        var straight = await Client.RecommendPageAsync(request);
        request.Filter.TempoHalfDouble = true;
        var halfDouble = await Client.RecommendPageAsync(request);

        Assert.All(straight.Rows, r => Assert.True(Within(r.Track.Features.Tempo, tempo), $"{r.Track.Features.Tempo} BPM around {tempo}"));
        Assert.All(halfDouble.Rows, r => Assert.True(
            Within(r.Track.Features.Tempo, tempo) || Within(r.Track.Features.Tempo, tempo * 2) || Within(r.Track.Features.Tempo, tempo / 2),
            $"{r.Track.Features.Tempo} BPM around {tempo}, its half or double"));
        var doubled = fixture.Catalogue.Where(t => Within(t.Features.Tempo, tempo * 2)).Select(t => t.TrackId).ToHashSet();
        Assert.NotEmpty(doubled);
        Assert.Equal(doubled.Order(), halfDouble.Rows.Select(r => r.Track.TrackId).Where(doubled.Contains).Order());
        Assert.Equal(straight.Rows.Count + doubled.Count + fixture.Catalogue.Count(t => Within(t.Features.Tempo, tempo / 2)), halfDouble.Rows.Count);
    }

    [Fact]
    public async Task A_key_filter_around_a_seed_without_a_key_or_a_boost_without_a_filter_is_invalid_argument()
    {
        var keyless = fixture.Catalogue.FirstOrDefault(t => t.Features.Key < 0);
        var boost = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendPageAsync(new RecommendRequest
        {
            TrackId = KeyedSeed.TrackId,
            Filter = new RecommendFilter { KeyEnergyBoost = true },
        }));
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "filter.key_energy_boost"), boost.Describe());

        var seedless = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendPageAsync(new RecommendRequest
        {
            Attributes = new TunableAttributes { TargetEnergy = 0.5 },
            Filter = new RecommendFilter { KeyMatch = KeyMatch.Compatible },
        }));
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "filter.key_match"), seedless.Describe());

        if (keyless is not null)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendPageAsync(new RecommendRequest
            {
                TrackId = keyless.TrackId,
                Filter = new RecommendFilter { KeyMatch = KeyMatch.Same },
            }));
            Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "filter.key_match"), error.Describe());
        }
    }
}
