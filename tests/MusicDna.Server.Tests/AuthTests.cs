using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using MusicDna.Client;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>API keys with reader and admin roles, over the real server with authentication on.</summary>
public sealed class AuthTests : IAsyncLifetime, IDisposable
{
    private const string ReaderKey = "reader-key-7f3a9c";
    private const string AdminKey = "admin-key-41b8e2";

    private readonly TempDirectory _data = new();
    private MusicDnaTestServer _server = null!;

    public async Task InitializeAsync() => _server = await MusicDnaTestServer.StartAsync(_data.Path, new Dictionary<string, string?>
    {
        ["MusicDna:Auth:Mode"] = "ApiKeys",
        ["MusicDna:Auth:Keys:0:Name"] = "catalogue-team",
        ["MusicDna:Auth:Keys:0:Role"] = "admin",
        ["MusicDna:Auth:Keys:0:Sha256"] = Sha256(AdminKey),
        ["MusicDna:Auth:Keys:1:Name"] = "web-app",
        ["MusicDna:Auth:Keys:1:Role"] = "reader",
        ["MusicDna:Auth:Keys:1:Sha256"] = Sha256(ReaderKey),
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _data.Dispose();

    private static Metadata Bearer(string key) => [new("authorization", $"Bearer {key}")];

    private static string Sha256(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    [Fact]
    public async Task A_call_without_a_key_or_with_an_unknown_key_is_Unauthenticated()
    {
        var none = await Assert.ThrowsAsync<RpcException>(() => _server.Client.RecommendAsync(new RecommendRequest { TrackId = "x" }));
        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Client.EmbedAsync(new EmbedRequest { Features = { SampleCatalogue.All[0].Features } }, Bearer("guess")).ResponseAsync);

        Assert.Equal((StatusCode.Unauthenticated, "API_KEY_MISSING", null), none.Describe());
        Assert.Equal((StatusCode.Unauthenticated, "API_KEY_INVALID", null), unknown.Describe());
    }

    [Fact]
    public async Task A_reader_may_embed_and_recommend_but_not_train_or_ingest()
    {
        await IngestAndTrainAsAdminAsync();

        var embed = await _server.Client.EmbedAsync(new EmbedRequest { Features = { SampleCatalogue.All[0].Features } }, Bearer(ReaderKey));
        using var feed = _server.Client.Recommend(new RecommendRequest { TrackId = SampleCatalogue.All[0].TrackId, K = 2 }, Bearer(ReaderKey));
        var messages = await feed.ResponseStream.ReadAllAsync().CountAsync();
        using var train = _server.Client.Train(new TrainRequest { Epochs = 1 }, Bearer(ReaderKey));
        var trainError = await Assert.ThrowsAsync<RpcException>(() => train.ResponseStream.MoveNext(CancellationToken.None));
        using var ingest = _server.Client.BulkIngest(Bearer(ReaderKey));
        var ingestError = await Assert.ThrowsAsync<RpcException>(() =>
            ingest.SendAsync(new[] { new BulkIngestRequest { Tracks = { SampleCatalogue.All[0] } } }.ToAsyncEnumerable()));

        Assert.Equal(1, embed.ModelVersion);
        Assert.Equal(3, messages);
        Assert.Equal((StatusCode.PermissionDenied, "ROLE_REQUIRED", null), trainError.Describe());
        Assert.Equal((StatusCode.PermissionDenied, "ROLE_REQUIRED", null), ingestError.Describe());
    }

    [Fact]
    public async Task The_client_library_reports_a_readers_ingest_as_PermissionDenied_every_time()
    {
        // The server refuses the call before reading it and resets the request stream; a write racing that reset
        // used to surface as a bare CANCELLED. Repeated, because the race is timing-dependent.
        var services = new ServiceCollection();
        services.AddMusicDnaClient(o =>
        {
            o.Address = _server.Address;
            o.ApiKey = ReaderKey;
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<MusicDnaClient>();
        var tracks = SampleCatalogue.Slice(50);

        var codes = new List<StatusCode>();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => client.IngestAsync(tracks, batchSize: 5));
            codes.Add(error.StatusCode);
        }

        Assert.All(codes, code => Assert.Equal(StatusCode.PermissionDenied, code));
    }

    [Fact]
    public async Task Health_stays_open_without_a_key()
    {
        var health = await new Health.HealthClient(_server.Channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    private async Task IngestAndTrainAsAdminAsync()
    {
        using var ingest = _server.Client.BulkIngest(Bearer(AdminKey));
        await ingest.RequestStream.WriteAsync(new BulkIngestRequest { Tracks = { SampleCatalogue.Slice(120) } });
        await ingest.RequestStream.CompleteAsync();
        Assert.Equal(120, (await ingest).Inserted);

        using var train = _server.Client.Train(new TrainRequest { Epochs = 1 }, Bearer(AdminKey));
        Assert.Equal(2, await train.ResponseStream.ReadAllAsync().CountAsync());
    }
}
