using Grpc.Core;
using Grpc.Health.V1;
using MusicDna.Contracts.V1;
using MusicDna.Server.Hosting;

namespace MusicDna.Server.Tests;

/// <summary>A server's life: before any model, across a restart, and while training is cancelled or contended.</summary>
public sealed class LifecycleTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Before_any_model_Embed_and_Recommend_are_FailedPrecondition_and_health_is_not_serving()
    {
        await using var server = await MusicDnaTestServer.StartAsync(_data.Path);
        var track = SampleCatalogue.All[0];
        await server.Client.IngestAsync([track]);

        var embed = await Assert.ThrowsAsync<RpcException>(() => server.Client.EmbedAsync(new EmbedRequest { Features = { track.Features } }).ResponseAsync);
        var recommend = await Assert.ThrowsAsync<RpcException>(() => server.Client.RecommendAsync(new RecommendRequest { TrackId = track.TrackId }));
        var health = new Health.HealthClient(server.Channel);

        Assert.Equal((StatusCode.FailedPrecondition, "NO_MODEL", null), embed.Describe());
        Assert.Equal((StatusCode.FailedPrecondition, "NO_MODEL", null), recommend.Describe());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing,
            (await health.CheckAsync(new HealthCheckRequest { Service = MusicDnaHostingExtensions.HealthServiceName })).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task Train_with_too_few_tracks_is_FailedPrecondition()
    {
        await using var server = await MusicDnaTestServer.StartAsync(_data.Path);
        await server.Client.IngestAsync(SampleCatalogue.All.Take(10));

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.TrainAsync(new TrainRequest { Epochs = 1 }));

        Assert.Equal((StatusCode.FailedPrecondition, "TOO_FEW_TRACKS", null), error.Describe());
    }

    [Fact]
    public async Task After_a_restart_on_the_same_data_directory_catalogue_model_and_recommendations_are_intact()
    {
        var catalogue = SampleCatalogue.Slice(600);
        List<RecommendResponse> before;
        ModelSummary model;
        await using (var server = await MusicDnaTestServer.StartAsync(_data.Path))
        {
            await server.Client.IngestAsync(catalogue);
            model = (await server.Client.TrainAsync(new TrainRequest { Epochs = 3, Seed = 11 }))[^1].Model;
            before = await server.Client.RecommendAsync(new RecommendRequest { TrackId = catalogue[42].TrackId, K = 20 });
        }

        await using var restarted = await MusicDnaTestServer.StartAsync(_data.Path);
        var after = await restarted.Client.RecommendAsync(new RecommendRequest { TrackId = catalogue[42].TrackId, K = 20 });
        var health = new Health.HealthClient(restarted.Channel);
        var reingest = await restarted.Client.IngestAsync(catalogue.Take(5));

        Assert.Equal(before, after);
        Assert.Equal(model.ModelVersion, after[^1].End.ModelVersion);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
            (await health.CheckAsync(new HealthCheckRequest { Service = MusicDnaHostingExtensions.HealthServiceName })).Status);
        Assert.Equal((0, 5), (reingest.Inserted, reingest.Updated)); // the catalogue remembered every track
    }

    [Fact]
    public async Task Cancelling_Train_publishes_nothing_and_a_second_concurrent_Train_is_Aborted()
    {
        await using var server = await MusicDnaTestServer.StartAsync(_data.Path);
        await server.Client.IngestAsync(SampleCatalogue.Slice(400));
        await server.Client.TrainAsync(new TrainRequest { Epochs = 2 });

        using var cancel = new CancellationTokenSource();
        using var longRun = server.Client.Train(new TrainRequest { Epochs = 1000, BatchSize = 8 }, cancellationToken: cancel.Token);
        Assert.True(await longRun.ResponseStream.MoveNext(CancellationToken.None), "the first epoch's progress arrives");
        Assert.Equal(TrainResponse.EventOneofCase.Progress, longRun.ResponseStream.Current.EventCase);

        var second = await Assert.ThrowsAsync<RpcException>(() => server.Client.TrainAsync(new TrainRequest { Epochs = 1 }));
        Assert.Equal((StatusCode.Aborted, "TRAINING_IN_PROGRESS", null), second.Describe());

        await cancel.CancelAsync();
        var cancelled = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await longRun.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        });
        Assert.Equal(StatusCode.Cancelled, cancelled.StatusCode);

        // The cancelled run published nothing: the next model is version 2, and version 1 served meanwhile.
        var feed = await server.Client.RecommendAsync(new RecommendRequest { TrackId = SampleCatalogue.Slice(400)[0].TrackId, K = 1 });
        Assert.Equal(1, feed[^1].End.ModelVersion);
        var next = await WaitForTrainSlotAsync(server.Client);
        Assert.Equal(2, next.ModelVersion);
    }

    /// <summary>Trains once the cancelled run has released the single training slot (bounded retries, no sleeps beyond 50 ms).</summary>
    private static async Task<ModelSummary> WaitForTrainSlotAsync(MusicDnaService.MusicDnaServiceClient client)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return (await client.TrainAsync(new TrainRequest { Epochs = 1 }))[^1].Model;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Aborted && attempt < 100)
            {
                await Task.Delay(50);
            }
        }
    }
}
