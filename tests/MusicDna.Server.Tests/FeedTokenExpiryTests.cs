using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>A feed's continuation token belongs to the model that ranked it.</summary>
public sealed class FeedTokenExpiryTests
{
    [Fact]
    public async Task A_page_token_from_an_earlier_model_is_FailedPrecondition_PAGE_TOKEN_EXPIRED()
    {
        using var data = new TempDirectory();
        await using var server = await MusicDnaTestServer.StartAsync(data.Path);
        var catalogue = SampleCatalogue.Slice(300);
        await server.Client.IngestAsync(catalogue);
        var quick = new TrainRequest { Epochs = 2, BatchSize = 128, Seed = 7 };
        await server.Client.TrainAsync(quick);
        var request = new RecommendRequest { TrackId = catalogue[0].TrackId, K = 5 };
        var first = await server.Client.RecommendPageAsync(request);

        await server.Client.TrainAsync(quick);
        request.PageToken = first.End.NextPageToken;
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.RecommendAsync(request));

        Assert.Equal((StatusCode.FailedPrecondition, "PAGE_TOKEN_EXPIRED", null), error.Describe());
    }
}
