using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>OrderPlaylist is a bounded read call: the server's own time limit stops its search.</summary>
public sealed class PlaylistTimeLimitTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task An_order_search_past_the_server_limit_is_DeadlineExceeded()
    {
        await using var server = await MusicDnaTestServer.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["MusicDna:Limits:ReadCallTimeout"] = "00:00:00.001",
        });
        var catalogue = SampleCatalogue.Slice(600);
        await server.Client.IngestAsync(catalogue);
        await server.Client.TrainAsync(new TrainRequest { Epochs = 2 });

        // 500 tracks: the step costs alone (125,000 angles) take longer than 1 ms before the first 2-opt pass checks.
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.OrderPlaylistAsync(new OrderPlaylistRequest
        {
            TrackIds = { catalogue.Take(500).Select(t => t.TrackId).Distinct() },
            EnergyArc = EnergyArc.Peak,
            KeyCompatible = true,
        }).ResponseAsync);

        Assert.Equal((StatusCode.DeadlineExceeded, "CALL_TIME_LIMIT", null), error.Describe());
    }
}
