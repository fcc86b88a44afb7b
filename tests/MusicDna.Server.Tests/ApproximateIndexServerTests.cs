using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using MusicDna.Contracts.V1;
using MusicDna.Engine;

namespace MusicDna.Server.Tests;

/// <summary>
/// The real server with its threshold set low (MusicDna:ApproximateIndexFrom=1000) over a 3,000-track slice of the
/// sample catalogue, so every Recommend is served by the approximate (inverted-file) index.
/// </summary>
public sealed class ApproximateIndexServerTests : IDisposable
{
    private static readonly Dictionary<string, string?> LowThreshold = new() { ["MusicDna:ApproximateIndexFrom"] = "1000" };

    private readonly TempDirectory _data = new("musicdna-approximate-server-");
    private readonly IReadOnlyList<Track> _catalogue = SampleCatalogue.Slice(3_000);

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Ingest_filters_and_a_new_model_are_served_by_the_approximate_index()
    {
        await using var server = await MusicDnaTestServer.StartAsync(_data.Path, LowThreshold);
        await server.Client.IngestAsync(_catalogue);
        await server.Client.TrainAsync(TrainedServerFixture.QuickTraining);
        Assert.Equal("InvertedFile", SavedIndexKind(1));
        var seed = _catalogue[123];

        // An ingested track is recommendable when BulkIngest returns: a twin of the seed (its features under another
        // title, so another song) is its nearest neighbour.
        var twin = seed.Clone(t =>
        {
            t.TrackId = "twin-of-the-seed";
            t.Name = "Twin of the seed";
        });
        await server.Client.IngestAsync([twin]);
        var nearest = await server.Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = 1 });
        Assert.Equal(twin.TrackId, Assert.Single(nearest.Rows).Track.TrackId);

        // A filter that a few dozen tracks pass still returns k, and all of them when k is more.
        var genre = _catalogue.Select(t => t.Genre).Last(g => g != seed.Genre);
        var inGenre = _catalogue.Count(t => t.Genre == genre);
        var filter = new RecommendFilter { IncludeGenres = { genre } };
        var ten = await server.Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = 10, Filter = filter });
        Assert.Equal(10, ten.Rows.Count);
        Assert.All(ten.Rows, r => Assert.Equal(genre, r.Track.Genre));
        var all = await server.Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = inGenre + 10, Filter = filter });
        Assert.Equal(inGenre, all.Rows.Count);
        Assert.True(all.End.Exhausted);

        // A second model swaps in with its own index.
        await server.Client.TrainAsync(new TrainRequest { Epochs = 3, BatchSize = 128, Seed = 8 });
        var page = await server.Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = 10 });
        Assert.Equal(2, page.End.ModelVersion);
        Assert.Equal(10, page.Rows.Count);
        Assert.Equal("InvertedFile", SavedIndexKind(2));
        Assert.Equal(2, server.Services.GetRequiredService<EngineCounters>().IndexesBuilt);
    }

    [Fact]
    public async Task A_restarted_server_loads_the_saved_index_instead_of_rebuilding_it()
    {
        List<(string, float)> before;
        await using (var server = await MusicDnaTestServer.StartAsync(_data.Path, LowThreshold))
        {
            await server.Client.IngestAsync(_catalogue);
            await server.Client.TrainAsync(TrainedServerFixture.QuickTraining);
            Assert.Equal(1, server.Services.GetRequiredService<EngineCounters>().IndexesBuilt);
            before = await FeedAsync(server);
        }

        await using var restarted = await MusicDnaTestServer.StartAsync(_data.Path, LowThreshold);

        var counters = restarted.Services.GetRequiredService<EngineCounters>();
        Assert.Equal((1, 0), (counters.IndexesLoaded, counters.IndexesBuilt));
        Assert.Equal(before, await FeedAsync(restarted));
    }

    [Fact]
    public async Task Deleted_tracks_are_never_returned_by_the_approximate_index_also_after_a_restart_that_loads_it()
    {
        var seed = _catalogue[123];
        var twin = seed.Clone(t =>
        {
            t.TrackId = "twin-of-the-seed";
            t.Name = "Twin of the seed";
        });
        string built;
        RecommendRequest sameGenre;
        int sameGenreBefore;
        await using (var server = await MusicDnaTestServer.StartAsync(_data.Path, LowThreshold))
        {
            await server.Client.IngestAsync(_catalogue);
            await server.Client.TrainAsync(TrainedServerFixture.QuickTraining);
            Assert.Equal("InvertedFile", SavedIndexKind(1));
            // One track added to the live index after it was built, and one that was in the index when it was built.
            await server.Client.IngestAsync([twin]);
            var nearest = await server.Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = 2 });
            Assert.Equal(twin.TrackId, nearest.Rows[0].Track.TrackId);
            built = nearest.Rows[1].Track.TrackId;
            var builtGenre = nearest.Rows[1].Track.Genre;
            sameGenre = new RecommendRequest
            {
                TrackId = seed.TrackId,
                K = MusicDna.Engine.Recommend.RecommendQuery.MaxK,
                IncludeSongVersions = true,
                Filter = new RecommendFilter { IncludeGenres = { builtGenre } },
            };
            sameGenreBefore = (await server.Client.RecommendPageAsync(sameGenre)).Rows.Count;

            var deleted = await server.Client.DeleteTracksAsync(new DeleteTracksRequest { TrackIds = { twin.TrackId, built } });

            Assert.Equal(2, deleted.Deleted);
            await AssertGoneAsync(server);
        }

        await using var restarted = await MusicDnaTestServer.StartAsync(_data.Path, LowThreshold);

        var counters = restarted.Services.GetRequiredService<EngineCounters>();
        Assert.Equal((1, 0), (counters.IndexesLoaded, counters.IndexesBuilt));
        await AssertGoneAsync(restarted);

        async Task AssertGoneAsync(MusicDnaTestServer server)
        {
            var page = await server.Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = 50, IncludeSongVersions = true });
            Assert.Equal(50, page.Rows.Count);
            Assert.DoesNotContain(page.Rows, r => r.Track.TrackId == twin.TrackId || r.Track.TrackId == built);
            // The strict-filter path (the index's own filtered search) loses exactly the deleted track of that genre.
            var filtered = await server.Client.RecommendPageAsync(sameGenre);
            Assert.Equal(sameGenreBefore - 1, filtered.Rows.Count);
            Assert.DoesNotContain(filtered.Rows, r => r.Track.TrackId == built);
            foreach (var gone in new[] { twin.TrackId, built })
            {
                var error = await Assert.ThrowsAsync<RpcException>(() =>
                    server.Client.RecommendPageAsync(new RecommendRequest { TrackId = gone, K = 1 }));
                Assert.Equal((StatusCode.NotFound, "TRACK_NOT_FOUND"), (error.Describe().Code, error.Describe().Reason));
            }
        }
    }

    private async Task<List<(string, float)>> FeedAsync(MusicDnaTestServer server)
    {
        var page = await server.Client.RecommendPageAsync(new RecommendRequest { TrackId = _catalogue[42].TrackId, K = 25 });
        Assert.Equal(25, page.Rows.Count);
        return [.. page.Rows.Select(r => (r.Track.TrackId, r.Score))];
    }

    private string SavedIndexKind(long version)
    {
        var manifest = Path.Combine(_data.Path, "models", $"v{version:D6}", "index.json");
        using var json = JsonDocument.Parse(File.ReadAllText(manifest));
        return json.RootElement.GetProperty("Kind").GetString()!;
    }
}
