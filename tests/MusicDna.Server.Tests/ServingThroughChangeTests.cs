using Grpc.Core;
using MusicDna.Contracts.V1;
using Xunit.Abstractions;

namespace MusicDna.Server.Tests;

/// <summary>Retraining and ingesting never interrupt the feed: a steady Recommend load sees no error and whole models only.</summary>
public sealed class ServingThroughChangeTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Recommend_load_sees_zero_errors_and_complete_feeds_while_Train_runs_and_BulkIngest_streams()
    {
        await using var server = await MusicDnaTestServer.StartAsync(_data.Path);
        var catalogue = SampleCatalogue.Slice(1500);
        await server.Client.IngestAsync(catalogue);
        await server.Client.TrainAsync(new TrainRequest { Epochs = 2 });

        using var change = new CancellationTokenSource();
        var retrain = server.Client.TrainAsync(new TrainRequest { Epochs = 25, Seed = 9 });
        var ingest = Task.Run(async () =>
        {
            for (var call = 0; call < 20 && !change.IsCancellationRequested; call++)
            {
                await server.Client.IngestAsync(catalogue.Skip(call * 50).Take(50).Select((t, i) => t.Clone(c => c.TrackId = $"change-{call}-{i}")));
            }
        });

        // Bounded load: 4 concurrent readers until training and ingest are done (at most 4,000 feeds).
        var errors = new List<Exception>();
        var versions = new HashSet<long>();
        var feeds = 0;
        var readers = Enumerable.Range(0, 4).Select(reader => Task.Run(async () =>
        {
            for (var i = 0; i < 1000 && !(retrain.IsCompleted && ingest.IsCompleted); i++)
            {
                try
                {
                    var feed = await server.Client.RecommendAsync(new RecommendRequest { TrackId = catalogue[(reader * 97 + i) % catalogue.Count].TrackId, K = 10 });
                    var end = feed[^1].End;
                    Assert.Equal(10, feed.Count(m => m.Recommendation is not null)); // a whole index: always k results
                    Assert.Equal(10, end.Returned);
                    lock (versions)
                    {
                        versions.Add(end.ModelVersion);
                        feeds++;
                    }
                }
                catch (Exception e) when (e is RpcException or Xunit.Sdk.XunitException)
                {
                    lock (errors)
                    {
                        errors.Add(e);
                    }
                }
            }
        })).ToList();

        var trained = await retrain;
        await ingest;
        await Task.WhenAll(readers);

        output.WriteLine($"{feeds} feeds during the change, {errors.Count} errors, model versions seen: {string.Join(", ", versions.Order())}");
        Assert.Empty(errors);
        Assert.True(feeds > 0, "the load ran while the model changed");
        Assert.Equal(2, trained[^1].Model.ModelVersion);
        Assert.Subset(new HashSet<long> { 1, 2 }, versions);
    }
}
