using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MusicDna.Client;
using MusicDna.Contracts.V1;
using Polly.CircuitBreaker;

namespace MusicDna.Client.Tests;

/// <summary>The typed .NET client's Polly pipeline against a real server that stops and comes back on the same port.</summary>
public sealed class ClientResilienceTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _data = new();
    private MusicDnaTestServer? _server;
    private int _port;

    public async Task InitializeAsync()
    {
        _server = await MusicDnaTestServer.StartAsync(_data.Path);
        _port = _server.Address.Port;
        await _server.Client.IngestAsync(SampleCatalogue.Slice(200));
        await _server.Client.TrainAsync(new TrainRequest { Epochs = 2 });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public void Dispose() => _data.Dispose();

    private Uri Address => new($"http://127.0.0.1:{_port}");

    private static (MusicDnaClient Client, GrpcChannel Channel) CreateClient(MusicDnaClientOptions options, Action<RetryAttempt>? onRetry = null)
    {
        var channel = GrpcChannel.ForAddress(options.Address);
        var client = new MusicDnaClient(new MusicDnaService.MusicDnaServiceClient(channel), Options.Create(options), MusicDnaResilience.Create(options, onRetry));
        return (client, channel);
    }

    private async Task StopServerAsync()
    {
        await _server!.DisposeAsync();
        _server = null;
    }

    [Fact]
    public async Task Embed_and_Recommend_retry_with_backoff_until_the_restarted_server_answers()
    {
        var options = new MusicDnaClientOptions { Address = Address, MaxRetries = 8, RetryBaseDelay = TimeSpan.FromMilliseconds(100), BreakerMinimumThroughput = 1000 };
        var firstRetry = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var retries = 0;
        var (client, channel) = CreateClient(options, _ =>
        {
            Interlocked.Increment(ref retries);
            firstRetry.TrySetResult();
        });
        using var _ = channel;
        var features = SampleCatalogue.All[0].Features;

        await StopServerAsync();
        var embed = client.EmbedAsync([features]);
        await firstRetry.Task;                                    // the call is now failing and retrying...
        _server = await MusicDnaTestServer.StartAsync(_data.Path, port: _port); // ...and the server comes back

        var response = await embed;
        Assert.Equal(1, response.ModelVersion);
        Assert.True(retries >= 1, "the call succeeded only through retries");

        var feed = new List<RecommendResponse>();
        await foreach (var message in client.RecommendAsync(new RecommendRequest { Features = features, K = 4 }))
        {
            feed.Add(message);
        }

        Assert.Equal(4, feed.Count(m => m.Recommendation is not null));
        Assert.Equal(4, feed[^1].End.Returned);
    }

    [Fact]
    public async Task Train_and_BulkIngest_are_never_retried()
    {
        var retries = 0;
        var (client, channel) = CreateClient(new MusicDnaClientOptions { Address = Address, MaxRetries = 5 }, _ => Interlocked.Increment(ref retries));
        using var _ = channel;
        await StopServerAsync();

        var train = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var message in client.TrainAsync(new TrainRequest { Epochs = 1 }))
            {
            }
        });
        var ingest = await Assert.ThrowsAsync<RpcException>(() => client.IngestAsync(SampleCatalogue.Slice(3)));

        Assert.Equal(StatusCode.Unavailable, train.StatusCode);
        Assert.Equal(StatusCode.Unavailable, ingest.StatusCode);
        Assert.Equal(0, retries);
    }

    [Fact]
    public async Task DeleteTracks_without_missing_ids_allowed_is_never_retried()
    {
        var retries = 0;
        var (client, channel) = CreateClient(new MusicDnaClientOptions { Address = Address, MaxRetries = 5 }, _ => Interlocked.Increment(ref retries));
        using var _ = channel;
        await StopServerAsync();

        var delete = await Assert.ThrowsAsync<RpcException>(() =>
            client.DeleteTracksAsync(new DeleteTracksRequest { TrackIds = { SampleCatalogue.All[0].TrackId } }));

        Assert.Equal(StatusCode.Unavailable, delete.StatusCode);
        Assert.Equal(0, retries);
    }

    [Fact]
    public async Task DeleteTracks_with_missing_ids_allowed_retries_until_the_restarted_server_deletes_the_track()
    {
        var options = new MusicDnaClientOptions { Address = Address, MaxRetries = 8, RetryBaseDelay = TimeSpan.FromMilliseconds(100), BreakerMinimumThroughput = 1000 };
        var firstRetry = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (client, channel) = CreateClient(options, _ => firstRetry.TrySetResult());
        using var _ = channel;
        var trackId = SampleCatalogue.All[0].TrackId;

        await StopServerAsync();
        var delete = client.DeleteTracksAsync(new DeleteTracksRequest { TrackIds = { trackId, "no-such-track" }, AllowMissing = true });
        await firstRetry.Task;
        _server = await MusicDnaTestServer.StartAsync(_data.Path, port: _port);

        var response = await delete;
        Assert.Equal(1, response.Deleted);
        Assert.Equal(["no-such-track"], response.MissingTrackIds);
        var seed = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var message in client.RecommendAsync(new RecommendRequest { TrackId = trackId, K = 1 }))
            {
            }
        });
        Assert.Equal(StatusCode.NotFound, seed.StatusCode);
    }

    [Fact]
    public async Task Circuit_opens_while_the_server_is_down_and_closes_once_it_is_back()
    {
        var options = new MusicDnaClientOptions
        {
            Address = Address, MaxRetries = 0, BreakerMinimumThroughput = 2, BreakerFailureRatio = 0.5,
            BreakerBreakDuration = TimeSpan.FromMilliseconds(500),
        };
        var (client, channel) = CreateClient(options);
        using var _ = channel;
        var features = SampleCatalogue.All[0].Features;
        await StopServerAsync();

        await Assert.ThrowsAsync<RpcException>(() => client.EmbedAsync([features]));
        await Assert.ThrowsAsync<RpcException>(() => client.EmbedAsync([features]));
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.EmbedAsync([features])); // fails fast, no call made

        _server = await MusicDnaTestServer.StartAsync(_data.Path, port: _port);
        await WaitUntilChannelReconnectsAsync(channel);            // the channel's own reconnect backoff, outside the pipeline
        await Task.Delay(options.BreakerBreakDuration * 2);        // let the break elapse (not a timing assertion)
        var response = await client.EmbedAsync([features]);
        Assert.Equal(1, response.ModelVersion);
    }

    /// <summary>Bounded: up to 200 health probes 50 ms apart on the same channel, which bypass the breaker.</summary>
    private static async Task WaitUntilChannelReconnectsAsync(GrpcChannel channel)
    {
        var health = new Health.HealthClient(channel);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(1));
                return;
            }
            catch (RpcException) when (attempt < 200)
            {
                await Task.Delay(50);
            }
        }
    }

    [Fact]
    public async Task AddMusicDnaClient_registers_a_working_client_with_the_shared_pipeline()
    {
        var services = new ServiceCollection();
        services.AddMusicDnaClient(o => o.Address = Address);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<MusicDnaClient>();
        var response = await client.EmbedAsync([SampleCatalogue.All[0].Features]);

        Assert.Equal(1, response.ModelVersion);
        Assert.Same(
            provider.GetRequiredKeyedService<Polly.ResiliencePipeline>(MusicDnaClient.PipelineKey),
            provider.GetRequiredKeyedService<Polly.ResiliencePipeline>(MusicDnaClient.PipelineKey));
    }
}
