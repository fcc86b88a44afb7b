using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>Songs, not track ids: versions of one song collapse into one row in every feed, over the real server.</summary>
[Collection(VersionedCatalogueFixture.Collection)]
public sealed class SongFeedTests(VersionedCatalogueFixture fixture)
{
    private MusicDnaService.MusicDnaServiceClient Client => fixture.Server.Client;

    private string SeedId => fixture.Seed.TrackId;

    [Fact]
    public async Task A_catalogue_with_several_versions_of_one_song_yields_one_row_per_song_and_none_of_the_seeds_versions()
    {
        var (rows, end) = await Client.RecommendPageAsync(new RecommendRequest { TrackId = SeedId, K = 20 });

        Assert.Equal(20, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r.SongId).Distinct().Count());
        Assert.DoesNotContain(rows, r => r.Track.TrackId.StartsWith("v-seed", StringComparison.Ordinal));
        var near = Assert.Single(rows, r => r.Track.TrackId.StartsWith("v-near", StringComparison.Ordinal));
        Assert.Equal("v-near-remaster", near.Track.TrackId); // the most popular of its three versions
        Assert.Equal(3, near.SongVersions);
        Assert.Equal(2, end.Removals.Single(r => r.Stage == "seed").Removed - 1); // the seed itself, then its two versions
        Assert.Contains(end.Removals, r => r.Stage == "song_repeat" && r.Removed >= 2);
    }

    [Fact]
    public async Task Turning_collapsing_off_brings_every_version_back_the_seeds_versions_included()
    {
        var (rows, _) = await Client.RecommendPageAsync(new RecommendRequest { TrackId = SeedId, K = 20, IncludeSongVersions = true });

        // Same features as the seed: cosine 1 (to float precision, as are tracks a tempo step away).
        Assert.Equal(["v-seed-live", "v-seed-remaster"], rows.Where(r => r.Track.TrackId.StartsWith("v-seed", StringComparison.Ordinal)).Select(r => r.Track.TrackId).Order());
        Assert.All(rows.Where(r => r.Track.TrackId.StartsWith("v-seed", StringComparison.Ordinal)), r => Assert.Equal(1, r.Cosine, 5));
        Assert.Equal(3, rows.Count(r => r.Track.TrackId.StartsWith("v-near", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_best_matching_version_is_shown_when_asked()
    {
        var popular = await Client.RecommendPageAsync(new RecommendRequest { TrackId = SeedId, K = 20 });
        var best = await Client.RecommendPageAsync(new RecommendRequest { TrackId = SeedId, K = 20, SongVersion = SongVersion.BestMatch });

        var near = Assert.Single(best.Rows, r => r.Track.TrackId.StartsWith("v-near", StringComparison.Ordinal));
        var popularNear = popular.Rows.Single(r => r.Track.TrackId.StartsWith("v-near", StringComparison.Ordinal));
        Assert.Equal(popularNear.Score, near.Score);
        Assert.Equal(popularNear.Cosine, near.Cosine);
        Assert.Equal(popularNear.SongId, near.SongId);
        Assert.Equal(3, near.SongVersions); // counted apart from the collapse's most-popular choice
    }

    [Fact]
    public async Task Filters_apply_to_the_version_shown()
    {
        var (rows, _) = await Client.RecommendPageAsync(new RecommendRequest
        {
            TrackId = SeedId, K = 20, Filter = new RecommendFilter { MaxPopularity = 40 },
        });

        Assert.All(rows, r => Assert.InRange(r.Track.Popularity, 0, 40));
        Assert.Equal("v-near-edit", Assert.Single(rows, r => r.Track.TrackId.StartsWith("v-near", StringComparison.Ordinal)).Track.TrackId);
    }

    [Fact]
    public async Task Pages_never_repeat_a_song_in_another_version()
    {
        var seen = new HashSet<string>();
        var token = "";
        for (var page = 0; page < 3; page++)
        {
            var (rows, end) = await Client.RecommendPageAsync(new RecommendRequest { TrackId = SeedId, K = 4, PageToken = token });
            Assert.Equal(4, rows.Count);
            Assert.All(rows, r => Assert.True(seen.Add(r.SongId), $"song of {r.Track.TrackId} came back on page {page + 1}"));
            token = end.NextPageToken;
        }
    }

    [Fact]
    public async Task The_diversity_re_rank_and_the_artist_cap_work_on_songs()
    {
        var (rows, _) = await Client.RecommendPageAsync(new RecommendRequest
        {
            TrackId = SeedId, K = 12, Diversity = 0.3, MaxTracksPerArtist = 1, LongTail = true,
        });

        Assert.Equal(12, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r.SongId).Distinct().Count());
        Assert.DoesNotContain(rows, r => r.Track.TrackId.StartsWith("v-seed", StringComparison.Ordinal));
        Assert.Single(rows, r => r.Track.Artists.Contains(VersionedCatalogueFixture.Band));
    }
}
