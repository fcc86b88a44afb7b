using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>OrderPlaylist and Bridge over the real server: a shorter path through the same set, and a segue of real tracks from A to B.</summary>
[Collection(SteeringServer.Name)]
public sealed class PlaylistFlowTests(TrainedServerFixture fixture)
{
    private MusicDnaService.MusicDnaServiceClient Client => fixture.Server.Client;

    // A spread of the catalogue, different for each offset and the same on every run.
    private List<Track> Playlist(int count, int offset) => [.. fixture.Catalogue.Skip(offset * 7).Where((_, i) => i % 5 == 0).Take(count)];

    private static double PathLength(IReadOnlyList<string> order, Dictionary<string, float[]> vectors) =>
        order.Zip(order.Skip(1), (a, b) => Math.Acos(Math.Clamp(ClientExtensions.Cosine(vectors[a], vectors[b]), -1f, 1f))).Sum();

    [Fact]
    public async Task OrderPlaylist_is_never_longer_than_the_input_order_and_keeps_the_same_set()
    {
        var vectors = await Client.UnitVectorsAsync(fixture.Catalogue);
        foreach (var (count, seed) in new[] { (2, 1), (3, 2), (12, 3), (80, 4), (200, 5) })
        {
            var input = Playlist(count, seed).Select(t => t.TrackId).ToList();
            var response = await Client.OrderPlaylistAsync(new OrderPlaylistRequest { TrackIds = { input } });
            var output = response.Tracks.Select(t => t.TrackId).ToList();

            Assert.Equal(input.Order(StringComparer.Ordinal), output.Order(StringComparer.Ordinal));
            Assert.True(response.PathLengthAfter <= response.PathLengthBefore + 1e-9, $"{count} tracks: {response.PathLengthAfter} after, {response.PathLengthBefore} before");
            Assert.Equal(PathLength(input, vectors), response.PathLengthBefore, 3);
            Assert.Equal(PathLength(output, vectors), response.PathLengthAfter, 3);
            Assert.True(response.LowerBound <= response.PathLengthAfter + 1e-9, $"lower bound {response.LowerBound} above {response.PathLengthAfter}");
            Assert.Equal(response.PathLengthBefore, response.CostBefore, 9);
            Assert.Equal(response.PathLengthAfter, response.CostAfter, 9);
            if (count >= 12)
            {
                Assert.True(response.PathLengthAfter < response.PathLengthBefore * 0.8, $"{count} tracks: {response.PathLengthAfter} vs {response.PathLengthBefore}");
            }
        }
    }

    [Fact]
    public async Task Key_compatibility_and_a_rising_energy_arc_cost_no_more_than_the_input_order_and_shape_the_playlist()
    {
        var input = Playlist(60, 9).Select(t => t.TrackId).ToList();
        var plain = await Client.OrderPlaylistAsync(new OrderPlaylistRequest { TrackIds = { input } });
        var keyed = await Client.OrderPlaylistAsync(new OrderPlaylistRequest { TrackIds = { input }, KeyCompatible = true, TempoNear = true });
        var rising = await Client.OrderPlaylistAsync(new OrderPlaylistRequest { TrackIds = { input }, EnergyArc = EnergyArc.Rising, ArcWeight = 3 });

        foreach (var response in new[] { keyed, rising })
        {
            Assert.Equal(input.Order(StringComparer.Ordinal), response.Tracks.Select(t => t.TrackId).Order(StringComparer.Ordinal));
            Assert.True(response.CostAfter <= response.CostBefore + 1e-9, $"cost {response.CostAfter} after, {response.CostBefore} before");
        }

        Assert.True(keyed.KeyClashes < plain.KeyClashes, $"{keyed.KeyClashes} key clashes with key_compatible, {plain.KeyClashes} without");
        var energies = rising.Tracks.Select(t => t.Features.Energy).ToList();
        var third = energies.Count / 3;
        Assert.True(energies.Take(third).Average() + 0.2 < energies.TakeLast(third).Average(),
            $"first third {energies.Take(third).Average():F2}, last third {energies.TakeLast(third).Average():F2}");
    }

    [Fact]
    public async Task OrderPlaylist_refuses_a_repeated_id_and_names_unknown_ones()
    {
        var ids = Playlist(3, 11).Select(t => t.TrackId).ToList();
        var repeated = await Assert.ThrowsAsync<RpcException>(() => Client.OrderPlaylistAsync(new OrderPlaylistRequest { TrackIds = { ids[0], ids[1], ids[0] } }).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "track_ids[2]"), repeated.Describe());

        var unknown = await Assert.ThrowsAsync<RpcException>(() => Client.OrderPlaylistAsync(new OrderPlaylistRequest { TrackIds = { ids[0], "no-such-track" } }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no-such-track", unknown.Status.Detail, StringComparison.Ordinal);

        var single = await Assert.ThrowsAsync<RpcException>(() => Client.OrderPlaylistAsync(new OrderPlaylistRequest { TrackIds = { ids[0] } }).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "track_ids"), single.Describe());
    }

    [Fact]
    public async Task Bridge_starts_near_A_ends_near_B_and_never_repeats_a_track_or_song()
    {
        var vectors = await Client.UnitVectorsAsync(fixture.Catalogue);
        var a = fixture.Catalogue[17];
        var b = fixture.Catalogue.OrderBy(t => ClientExtensions.Cosine(vectors[t.TrackId], vectors[a.TrackId])).First();

        using var call = Client.Bridge(new BridgeRequest { FromTrackId = a.TrackId, ToTrackId = b.TrackId, Steps = 6 });
        var messages = new List<BridgeResponse>();
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            messages.Add(message);
        }

        var steps = messages.SkipLast(1).Select(m => m.Step).ToList();
        var end = messages[^1].End;
        Assert.NotNull(end);
        Assert.Equal(6, steps.Count);
        Assert.Equal(6, end.Returned);
        Assert.Equal(Enumerable.Range(1, 6), steps.Select(s => s.Position));
        var ids = steps.Select(s => s.Track.TrackId).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.DoesNotContain(a.TrackId, ids);
        Assert.DoesNotContain(b.TrackId, ids);

        float ToA(BridgeStep s) => ClientExtensions.Cosine(vectors[s.Track.TrackId], vectors[a.TrackId]);
        float ToB(BridgeStep s) => ClientExtensions.Cosine(vectors[s.Track.TrackId], vectors[b.TrackId]);
        Assert.True(ToA(steps[0]) > ToB(steps[0]), "the first step is nearer A than B");
        Assert.True(ToB(steps[^1]) > ToA(steps[^1]), "the last step is nearer B than A");
        Assert.True(steps[0].ScoreToFrom > steps[0].ScoreToTo && steps[^1].ScoreToTo > steps[^1].ScoreToFrom);

        // Each step is shorter than the jump from A to B, and the walk moves towards B overall.
        Assert.All(steps, s => Assert.True(s.StepAngle < end.DirectAngle, $"step {s.Position}: {s.StepAngle} vs {end.DirectAngle}"));
        Assert.True(end.PathLength >= end.DirectAngle - 1e-6);
        var toB = steps.Select(ToB).ToList();
        Assert.True(toB[^1] > toB[0]);
    }

    [Fact]
    public async Task Bridge_refuses_the_same_track_at_both_ends_and_an_unknown_one()
    {
        var a = fixture.Catalogue[3].TrackId;
        var same = await Assert.ThrowsAsync<RpcException>(() => Client.Bridge(new BridgeRequest { FromTrackId = a, ToTrackId = a }).ResponseStream.MoveNext());
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "to_track_id"), same.Describe());

        var unknown = await Assert.ThrowsAsync<RpcException>(() => Client.Bridge(new BridgeRequest { FromTrackId = a, ToTrackId = "nowhere" }).ResponseStream.MoveNext());
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);

        var steps = await Assert.ThrowsAsync<RpcException>(() => Client.Bridge(new BridgeRequest { FromTrackId = a, ToTrackId = fixture.Catalogue[4].TrackId, Steps = 101 }).ResponseStream.MoveNext());
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "steps"), steps.Describe());
    }
}
