using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>DeleteTracks over the real server on the embedded SQLite catalogue: durable, at once, all or nothing.</summary>
public sealed class DeleteTracksTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly IReadOnlyList<Track> _catalogue = SampleCatalogue.Slice(600);
    private MusicDnaTestServer _server = null!;

    private MusicDnaService.MusicDnaServiceClient Client => _server.Client;

    public async Task InitializeAsync()
    {
        _server = await MusicDnaTestServer.StartAsync(_data.Path);
        await Client.IngestAsync(_catalogue);
        await Client.TrainAsync(TrainedServerFixture.QuickTraining);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_deleted_track_is_never_recommended_again_and_is_not_found_as_a_seed_even_after_a_restart()
    {
        var seed = _catalogue[10];
        var before = await Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = 5 });
        var victim = before.Rows[0].Track.TrackId;

        var response = await Client.DeleteTracksAsync(new DeleteTracksRequest { TrackIds = { victim } });

        Assert.Equal(1, response.Deleted);
        Assert.Empty(response.MissingTrackIds);
        await AssertGoneAsync(seed, victim);

        await _server.DisposeAsync();
        _server = await MusicDnaTestServer.StartAsync(_data.Path);
        await AssertGoneAsync(seed, victim);
    }

    [Fact]
    public async Task A_delete_naming_an_unknown_id_is_not_found_and_deletes_nothing_unless_missing_ids_are_allowed()
    {
        var known = _catalogue[3].TrackId;

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Client.DeleteTracksAsync(new DeleteTracksRequest { TrackIds = { known, "no-such-track" } }).ResponseAsync);
        Assert.Equal((StatusCode.NotFound, "TRACK_NOT_FOUND"), (error.Describe().Code, error.Describe().Reason));
        Assert.Contains("no-such-track", error.Status.Detail, StringComparison.Ordinal);
        Assert.Single((await Client.RecommendPageAsync(new RecommendRequest { TrackId = known, K = 1 })).Rows);

        var allowed = await Client.DeleteTracksAsync(new DeleteTracksRequest { TrackIds = { known, "no-such-track" }, AllowMissing = true });
        Assert.Equal(1, allowed.Deleted);
        Assert.Equal(["no-such-track"], allowed.MissingTrackIds);

        var again = await Client.DeleteTracksAsync(new DeleteTracksRequest { TrackIds = { known }, AllowMissing = true });
        Assert.Equal((0, known), (again.Deleted, again.MissingTrackIds.Single()));
    }

    [Fact]
    public async Task A_page_token_issued_before_a_delete_still_continues_its_feed_without_the_deleted_tracks()
    {
        var request = new RecommendRequest { TrackId = _catalogue[20].TrackId, K = 10 };
        var first = await Client.RecommendPageAsync(request);
        var preview = await Client.RecommendPageAsync(new RecommendRequest { TrackId = _catalogue[20].TrackId, K = 20 });
        var servedThenDeleted = first.Rows[3].Track.TrackId;
        var nextThenDeleted = preview.Rows[12].Track.TrackId;

        await Client.DeleteTracksAsync(new DeleteTracksRequest { TrackIds = { servedThenDeleted, nextThenDeleted } });
        var next = request.Clone();
        next.PageToken = first.End.NextPageToken;
        var second = await Client.RecommendPageAsync(next);

        Assert.Equal(10, second.Rows.Count);
        Assert.DoesNotContain(second.Rows, r => r.Track.TrackId == nextThenDeleted || r.Track.TrackId == servedThenDeleted);
        Assert.Empty(second.Rows.Select(r => r.Track.TrackId).Intersect(first.Rows.Select(r => r.Track.TrackId)));
    }

    [Fact]
    public async Task A_deleted_track_id_ingested_again_is_a_new_recommendable_track()
    {
        var track = _catalogue[42];
        await Client.DeleteTracksAsync(new DeleteTracksRequest { TrackIds = { track.TrackId } });

        var ingest = await Client.IngestAsync([track]);

        Assert.Equal(1, ingest.Inserted);
        var page = await Client.RecommendPageAsync(new RecommendRequest { Features = track.Features, K = 1 });
        Assert.Equal(track.TrackId, page.Rows.Single().Track.TrackId);
    }

    [Theory]
    [InlineData(0, "track_ids")]
    [InlineData(10_001, "track_ids")]
    public async Task A_delete_with_no_ids_or_too_many_is_invalid_argument_naming_the_field(int count, string field)
    {
        var request = new DeleteTracksRequest { TrackIds = { Enumerable.Range(0, count).Select(i => $"id-{i}") } };

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.DeleteTracksAsync(request).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, field), (error.StatusCode, error.Describe().Field));
    }

    [Fact]
    public async Task A_delete_naming_an_id_with_a_control_character_is_invalid_argument_naming_its_position()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Client.DeleteTracksAsync(new DeleteTracksRequest { TrackIds = { "fine", "bad\u0007id" } }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "track_ids[1]"), (error.StatusCode, error.Describe().Field));
    }

    private async Task AssertGoneAsync(Track seed, string deleted)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendAsync(new RecommendRequest { TrackId = deleted, K = 5 }));
        Assert.Equal((StatusCode.NotFound, "TRACK_NOT_FOUND"), (error.Describe().Code, error.Describe().Reason));
        // Every version of every song, so the count is of tracks: all but the seed and the deleted one.
        var everything = await Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = 1000, IncludeSongVersions = true });
        Assert.DoesNotContain(everything.Rows, r => r.Track.TrackId == deleted);
        Assert.Equal(_catalogue.Select(t => t.TrackId).Distinct().Count() - 2, everything.Rows.Count);
    }
}
