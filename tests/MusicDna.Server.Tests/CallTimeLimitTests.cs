using Grpc.Core;
using MusicDna.Contracts.V1;
using MusicDna.Server.Tests.Infrastructure;

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
        await server.Client.IngestAsync(SampleCatalogue.Slice(600));

        var trained = await server.Client.TrainAsync(new TrainRequest { Epochs = 2 });   // far longer than 1 ms: exempt
        var error = await Assert.ThrowsAsync<RpcException>(() =>                       // one search per track: past 1 ms
            server.Client.FindGenreBendersAsync(new FindGenreBendersRequest { K = 5 }).ResponseAsync);

        Assert.Equal(1, trained[^1].Model.ModelVersion);
        Assert.Equal((StatusCode.DeadlineExceeded, "CALL_TIME_LIMIT", null), error.Describe());
    }
}
