using MusicDna.Engine.Recommend;
using static MusicDna.Engine.Tests.FeedUnderTest;

namespace MusicDna.Engine.Tests;

/// <summary>Songs in a feed: one row per song, never a version of a seed, the most popular version shown.</summary>
[Collection(TorchTests.Name)]
public sealed class SongFeedTests(SnapshotFixture fixture) : IDisposable
{
    // The seed, two more versions of its song, a song in three versions (the nearest is the least popular), and others.
    private readonly FeedUnderTest _feed = new(fixture,
    [
        At(0, "seed", "Smells Like Teen Spirit", "Nirvana", popularity: 83),
        At(1, "seed-remaster", "Smells Like Teen Spirit - Remastered 2021", "Nirvana", popularity: 49),
        At(2, "near-live", "Lithium - Live", "Nirvana", popularity: 10),
        At(3, "seed-again", "Smells Like Teen Spirit", "Nirvana", popularity: 56),
        At(4, "near-single", "Lithium - Single Version", "Nirvana", popularity: 30),
        At(5, "other-1", "Teen Age Riot", "Sonic Youth", popularity: 40),
        At(6, "near-album", "Lithium", "Nirvana", popularity: 70),
        At(7, "other-2", "Cannonball", "The Breeders", popularity: 35),
        At(8, "other-3", "Debaser", "Pixies", popularity: 60),
        At(60, "far", "Clair de Lune", "Claude Debussy", popularity: 20, genre: "classical"),
    ]);

    public void Dispose() => _feed.Dispose();

    [Fact]
    public async Task Versions_of_one_song_make_one_row_at_the_nearest_versions_place_showing_the_most_popular_version()
    {
        var (rows, end) = await _feed.RecommendAsync(Query("seed", k: 4));

        Assert.Equal(["near-album", "other-1", "other-2", "other-3"], rows.Select(r => r.Track.TrackId));
        var lithium = rows[0];
        Assert.Equal(3, lithium.SongVersions);
        Assert.Equal(_feed.Snapshot.Scale.Score(MathF.Cos(2 * MathF.PI / 180)), lithium.Score, 1e-4f);
        Assert.Equal(2, end.Removals.Single(r => r.Stage == "song_repeat").Removed);
    }

    [Fact]
    public async Task No_version_of_the_seeds_song_is_recommended()
    {
        var (rows, end) = await _feed.RecommendAsync(Query("seed"));

        Assert.DoesNotContain(rows, r => r.Track.TrackId.StartsWith("seed", StringComparison.Ordinal));
        Assert.Equal(3, end.Removals.Single(r => r.Stage == "seed").Removed);
        Assert.Equal(rows.Count, rows.Select(r => r.SongId).Distinct().Count());
    }

    [Fact]
    public async Task Best_match_shows_the_version_nearest_the_seeds()
    {
        var (rows, _) = await _feed.RecommendAsync(Query("seed", k: 1) with { SongVersion = SongVersionChoice.BestMatch });

        Assert.Equal("near-live", rows.Single().Track.TrackId);
    }

    [Fact]
    public async Task With_every_version_included_the_feed_ranks_tracks_as_before()
    {
        var (rows, _) = await _feed.RecommendAsync(Query("seed", k: 5) with { IncludeSongVersions = true });

        Assert.Equal(["seed-remaster", "near-live", "seed-again", "near-single", "other-1"], rows.Select(r => r.Track.TrackId));
    }

    [Fact]
    public async Task The_version_shown_is_the_most_popular_one_the_filter_lets_through()
    {
        var (rows, _) = await _feed.RecommendAsync(Query("seed", k: 1) with { Filter = new TrackFilter { MaxPopularity = 50 } });

        Assert.Equal("near-single", rows.Single().Track.TrackId);
    }

    [Fact]
    public async Task A_song_an_earlier_page_served_never_comes_back_in_another_version()
    {
        var (first, end) = await _feed.RecommendAsync(Query("seed", k: 1));
        var (second, _) = await _feed.RecommendAsync(Query("seed", k: 10) with { PageToken = end.NextPageToken });

        Assert.Equal("near-album", first.Single().Track.TrackId);
        Assert.DoesNotContain(second, r => r.Track.TrackId.StartsWith("near", StringComparison.Ordinal));
        Assert.Equal(["other-1", "other-2", "other-3", "far"], second.Select(r => r.Track.TrackId));
    }

    [Fact]
    public async Task History_excludes_the_tracks_played_and_every_version_of_their_songs()
    {
        var (rows, end) = await _feed.RecommendAsync(Query("seed") with { History = ["near-single", "no-such-id"], IncludeSongVersions = true });

        Assert.DoesNotContain(rows, r => r.Track.TrackId.StartsWith("near", StringComparison.Ordinal));
        Assert.Equal(3, end.Removals.Single(r => r.Stage == "history").Removed);
    }

    [Fact]
    public async Task The_score_reads_one_minus_the_angle_over_the_median_angle_and_the_cosine_stays_beside_it()
    {
        var (rows, _) = await _feed.RecommendAsync(Query("seed", k: 10) with { IncludeSongVersions = true });

        var scale = _feed.Snapshot.Scale;
        foreach (var row in rows)
        {
            Assert.Equal(1 - (Math.Acos(Math.Clamp(row.Cosine, -1, 1)) / scale.MedianAngle), row.Score, 1e-4);
        }

        Assert.Equal(MathF.Cos(60 * MathF.PI / 180), rows.Single(r => r.Track.TrackId == "far").Cosine, 1e-4f);
        Assert.Equal(rows.Select(r => r.Score).OrderDescending(), rows.Select(r => r.Score));
    }
}
