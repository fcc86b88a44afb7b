using Google.Rpc;
using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>Expensive calls are limited per caller and over all callers, with a retry hint; cheap calls are not.</summary>
public sealed class ExpensiveCallLimitTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _data = new();
    private MusicDnaTestServer _server = null!;
    private IReadOnlyList<Track> _catalogue = [];

    public async Task InitializeAsync()
    {
        _server = await MusicDnaTestServer.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["MusicDna:Limits:ExpensiveCallsPerCaller"] = "1",
            ["MusicDna:Limits:ExpensiveCalls"] = "1",
        });
        _catalogue = SampleCatalogue.Slice(400);
        await _server.Client.IngestAsync(_catalogue);
        await _server.Client.TrainAsync(new TrainRequest { Epochs = 1 });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_second_expensive_call_while_one_runs_is_ResourceExhausted_with_a_retry_hint_and_cheap_calls_still_pass()
    {
        // A best-score feed over 11 seeds that the client does not read: HTTP/2 flow control holds it mid-page, so the
        // call (and its permit) stays open as long as the test wants.
        var expensive = new RecommendRequest { K = 1000, Explain = true, Strategy = SeedStrategy.BestScore };
        expensive.Seeds.AddRange(_catalogue.Take(11).Select(t => new Seed { TrackId = t.TrackId }));
        using var cancel = new CancellationTokenSource();
        using var held = _server.Client.Recommend(expensive, cancellationToken: cancel.Token);
        Assert.True(await held.ResponseStream.MoveNext(CancellationToken.None));

        var refused = await Assert.ThrowsAsync<RpcException>(() => _server.Client.FindGenreBendersAsync(new FindGenreBendersRequest()).ResponseAsync);
        var cheap = await _server.Client.RecommendPageAsync(new RecommendRequest { TrackId = _catalogue[20].TrackId, K = 5 });

        Assert.Equal((StatusCode.ResourceExhausted, "EXPENSIVE_CALL_LIMIT", null), refused.Describe());
        var retry = refused.GetRpcStatus()!.GetDetail<RetryInfo>();
        Assert.NotNull(retry);
        Assert.True(retry.RetryDelay.ToTimeSpan() > TimeSpan.Zero);
        Assert.Equal(5, cheap.End.Returned);

        // Once the held call ends, the next expensive call is admitted.
        await cancel.CancelAsync();
        await Task.Delay(100);
        var admitted = await Poll.UntilAsync(() => TryGenreBenders().Result, TimeSpan.FromSeconds(10));
        Assert.True(admitted, "the permit was not returned when the held call ended");
    }

    private async Task<bool> TryGenreBenders()
    {
        try
        {
            await _server.Client.FindGenreBendersAsync(new FindGenreBendersRequest());
            return true;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
        {
            return false;
        }
    }
}
