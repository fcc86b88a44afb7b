using Grpc.Core;
using Google.Protobuf;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>The benchmark's Recommend-shaped ceiling: off by default, and when on it replays the real feed's messages.</summary>
public sealed class ReferenceFeedTests : IDisposable
{
    private static readonly Method<RecommendRequest, RecommendResponse> Feed = new(
        MethodType.ServerStreaming, "musicdna.bench.ReferenceFeed", "Feed",
        Marshallers.Create(m => m.ToByteArray(), RecommendRequest.Parser.ParseFrom),
        Marshallers.Create(m => m.ToByteArray(), RecommendResponse.Parser.ParseFrom));

    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task The_reference_feed_is_not_served_unless_the_bench_turns_it_on()
    {
        await using var server = await MusicDnaTestServer.StartAsync(_data.Path);

        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(server, new RecommendRequest { TrackId = "x" }));
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task When_on_it_answers_with_the_same_messages_the_real_Recommend_sends()
    {
        await using var server = await MusicDnaTestServer.StartAsync(_data.Path, new Dictionary<string, string?> { ["MusicDna:Bench:ReferenceFeed"] = "true" });
        var catalogue = SampleCatalogue.Slice(300);
        await server.Client.IngestAsync(catalogue);
        await server.Client.TrainAsync(new TrainRequest { Epochs = 1 });
        var request = new RecommendRequest { TrackId = catalogue[7].TrackId, K = 10 };

        var real = await server.Client.RecommendAsync(request);
        var first = await ReadAsync(server, request);
        var replayed = await ReadAsync(server, request);

        Assert.Equal(11, real.Count);
        Assert.Equal(real, first);
        Assert.Equal(real, replayed);
    }

    private static async Task<List<RecommendResponse>> ReadAsync(MusicDnaTestServer server, RecommendRequest request)
    {
        using var call = server.Channel.CreateCallInvoker().AsyncServerStreamingCall(Feed, null, new CallOptions(), request);
        var messages = new List<RecommendResponse>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            messages.Add(call.ResponseStream.Current);
        }

        return messages;
    }
}
