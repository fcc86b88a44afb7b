using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>The server's own time limit for read calls applies whatever deadline the client sets; Train is exempt.</summary>
public sealed class CallTimeLimitTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_read_call_past_the_server_limit_is_DeadlineExceeded_while_Train_runs_to_completion()
    {
        await using var server = await MusicDnaTestServer.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["MusicDna:Limits:ReadCallTimeout"] = "00:00:00.001",
        });
        var catalogue = SampleCatalogue.Slice(600);
        await server.Client.IngestAsync(catalogue);

        var trained = await server.Client.TrainAsync(new TrainRequest { Epochs = 2 });   // far longer than 1 ms: exempt

        // 599 explained rows are several times what HTTP/2 flow control lets the server send unread, so while this
        // client reads nothing the feed is held mid-page, certainly past the 1 ms limit, whatever the machine's speed.
        using var feed = server.Client.Recommend(new RecommendRequest { TrackId = catalogue[0].TrackId, K = 599, Explain = true });
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in feed.ResponseStream.ReadAllAsync())
            {
            }
        });

        Assert.Equal(1, trained[^1].Model.ModelVersion);
        Assert.Equal((StatusCode.DeadlineExceeded, "CALL_TIME_LIMIT", null), error.Describe());
    }
}
