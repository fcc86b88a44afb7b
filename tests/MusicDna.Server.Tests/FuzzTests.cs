using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using MusicDna.Catalogue;
using Microsoft.Extensions.Logging;
using MusicDna.Contracts.V1;
using Xunit.Abstractions;

namespace MusicDna.Server.Tests;

/// <summary>
/// Seeded hostile input against the real server: every malformed request gets a precise status (never INTERNAL or
/// UNKNOWN), the server's log (at the shipped log levels) grows by a bounded number of bytes per request, and
/// afterwards the server is healthy and its catalogue and model are unchanged. Bounded by count.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private static readonly Marshaller<byte[]> RawBytes = Marshallers.Create(b => b, b => b);

    private readonly TempDirectory _data = new();
    private readonly Dictionary<StatusCode, int> _codes = [];
    private readonly List<string> _bad = [];
    private readonly RecordingLoggerProvider _log = new();
    private MusicDnaTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await MusicDnaTestServer.StartAsync(_data.Path, RecordingLoggerProvider.ShippedLogLevels(), logging: l => l.AddProvider(_log));
        await _server.Client.IngestAsync(SampleCatalogue.Slice(300));
        await _server.Client.TrainAsync(new TrainRequest { Epochs = 1 });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _log.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Thousands_of_malformed_requests_get_precise_statuses_and_leave_the_server_healthy_and_unchanged()
    {
        var random = new Random(20261125);
        var catalogue = _server.Services.GetRequiredService<ITrackCatalogue>();
        var tracksBefore = await catalogue.CountAsync();
        var seed = SampleCatalogue.Slice(300)[0];
        var valid = seed.Features;
        var logBefore = _log.Bytes;

        // 1. Random bytes as the message of every read RPC (unary and server-streaming).
        var invoker = _server.Channel.CreateCallInvoker();
        foreach (var (name, type) in new[] { ("Embed", MethodType.Unary), ("Recommend", MethodType.ServerStreaming), ("FindGenreBenders", MethodType.Unary) })
        {
            var method = new Method<byte[], byte[]>(type, "musicdna.v1.MusicDnaService", name, RawBytes, RawBytes);
            for (var i = 0; i < 700; i++)
            {
                var payload = new byte[random.Next(1, 200)];
                random.NextBytes(payload);
                // Random bytes may happen to decode as a valid request (every field of these is optional): OK is fine then.
                await Expect($"{name} random bytes", allowOk: true, call: async () =>
                {
                    if (type == MethodType.Unary)
                    {
                        await invoker.AsyncUnaryCall(method, null, new CallOptions(), payload);
                    }
                    else
                    {
                        using var call = invoker.AsyncServerStreamingCall(method, null, new CallOptions(), payload);
                        while (await call.ResponseStream.MoveNext(CancellationToken.None))
                        {
                        }
                    }
                });
            }
        }

        // 2. Well-formed messages with hostile values.
        double[] hostile = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, -double.MaxValue, 1e300, -1, 401, 0.5];
        for (var i = 0; i < 400; i++)
        {
            var features = valid.Clone();
            var field = AudioFeatures.Descriptor.Fields.InFieldNumberOrder()[random.Next(12)];
            field.Accessor.SetValue(features, hostile[random.Next(hostile.Length)]);
            if (FeatureIsValid(field.Name, (double)field.Accessor.GetValue(features)))
            {
                continue; // e.g. 0.5 for danceability is fine: not hostile
            }

            await Expect("Embed hostile value", () => _server.Client.EmbedAsync(new EmbedRequest { Features = { valid, features } }).ResponseAsync);
            await Expect("Recommend hostile value", () => _server.Client.RecommendAsync(new RecommendRequest { Features = features }));
        }

        foreach (var k in new[] { int.MinValue, -1, 1001, int.MaxValue })
        {
            await Expect("huge k", () => _server.Client.RecommendAsync(new RecommendRequest { TrackId = seed.TrackId, K = k }));
        }

        // Ids and labels carrying line breaks, terminal escapes, NUL and other control characters, in every field that takes one.
        string[] controls = ["\r", "\n", "\u001b[31m", "\0", "\u0007", "\u007f", "\u0085", "\t"];
        for (var i = 0; i < 120; i++)
        {
            var id = $"fuzz{i}{controls[random.Next(controls.Length)]}x";
            await Expect("control characters in track_id", () => _server.Client.RecommendAsync(new RecommendRequest { TrackId = id }));
            await Expect("control characters in a seed", () => _server.Client.RecommendAsync(new RecommendRequest { Seeds = { new Seed { TrackId = id } } }));
            await Expect("control characters in a genre filter", () => _server.Client.RecommendAsync(new RecommendRequest
            {
                TrackId = seed.TrackId,
                Filter = new RecommendFilter { IncludeGenres = { id } },
            }));
            await Expect("control characters in exclude_track_ids", () => _server.Client.RecommendAsync(new RecommendRequest
            {
                TrackId = seed.TrackId,
                Filter = new RecommendFilter { ExcludeTrackIds = { id } },
            }));
            await Expect("control characters in a genre", () => _server.Client.FindGenreBendersAsync(new FindGenreBendersRequest { Genre = id }).ResponseAsync);
        }

        // Enum values outside the contract's lists.
        foreach (var value in new[] { -1, 3, 5, 99, int.MaxValue })
        {
            await Expect("strategy out of range", () => _server.Client.RecommendAsync(new RecommendRequest { TrackId = seed.TrackId, Strategy = (SeedStrategy)value }));
            await Expect("device out of range", () => _server.Client.TrainAsync(new TrainRequest { Epochs = 1, Device = (Device)value }));
        }

        await Expect("huge string", () => _server.Client.RecommendAsync(new RecommendRequest { TrackId = new string('x', 1_000_000) }));
        await Expect("thousands of seeds", () => _server.Client.RecommendAsync(new RecommendRequest
        {
            Seeds = { Enumerable.Range(0, 5000).Select(i => new Seed { TrackId = $"s{i}" }) },
        }));
        await Expect("garbage page token", () => _server.Client.RecommendAsync(new RecommendRequest { TrackId = seed.TrackId, PageToken = "%%%not-base64%%%" }));
        await Expect("too many tracks to embed", () => _server.Client.EmbedAsync(new EmbedRequest { Features = { Enumerable.Repeat(valid, 5000) } }).ResponseAsync);
        await Expect("oversized message", () => _server.Client.RecommendAsync(new RecommendRequest { TrackId = new string('y', 17 * 1024 * 1024) }));
        var embedBytes = new Method<byte[], byte[]>(MethodType.Unary, "musicdna.v1.MusicDnaService", "Embed", RawBytes, RawBytes);
        await Expect("oversized message past the framework's limit", async () =>
            await invoker.AsyncUnaryCall(embedBytes, null, new CallOptions(), new byte[33 * 1024 * 1024]));

        // 3. Ingest of rows that are all invalid, and a stream truncated by the client: neither changes the catalogue.
        var invalidRows = Enumerable.Range(0, 200).Select(i => seed.Clone(t =>
        {
            t.TrackId = i % 2 == 0 ? "" : $"fuzz-{i}";
            t.Features.Tempo = double.NaN;
        }));
        var summary = await _server.Client.IngestAsync(invalidRows);
        Assert.Equal((200L, 0L, 200L), (summary.Received, summary.Inserted, summary.Rejected));
        for (var i = 0; i < 20; i++)
        {
            using var cancel = new CancellationTokenSource();
            using var truncated = _server.Client.BulkIngest(cancellationToken: cancel.Token);
            await truncated.RequestStream.WriteAsync(new BulkIngestRequest { Tracks = { seed.Clone(t => t.Features.Valence = double.NaN) } });
            await cancel.CancelAsync();
            await Expect("truncated ingest stream", async () => await truncated);
        }

        var requests = _codes.Values.Sum();
        var logged = _log.Bytes - logBefore;
        output.WriteLine($"{requests} malformed requests: {string.Join(", ", _codes.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))}; the log grew by {logged} bytes");
        Assert.Empty(_bad);
        Assert.Contains(_log.Lines, line => line.Contains("Model 1 published", StringComparison.Ordinal)); // the recorder hears the server
        Assert.True(logged <= 16L * requests, $"the log grew by {logged} bytes for {requests} malformed requests:\n{string.Join("\n", _log.Lines.TakeLast(5))}");
        Assert.DoesNotContain(_log.Lines, line => line.Contains('\u001b') || line.Contains('\0') || line.Contains("   at ", StringComparison.Ordinal));
        Assert.True(_codes.Values.Sum() >= 2000, "thousands of malformed requests were sent");

        var health = await new Health.HealthClient(_server.Channel).CheckAsync(new HealthCheckRequest { Service = "musicdna.v1.MusicDnaService" });
        var feed = await _server.Client.RecommendAsync(new RecommendRequest { TrackId = seed.TrackId, K = 5 });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(tracksBefore, await catalogue.CountAsync());
        Assert.Equal((1L, 5), (feed[^1].End.ModelVersion, feed[^1].End.Returned));
    }

    private static bool FeatureIsValid(string name, double value) =>
        double.IsFinite(value) && name switch
        {
            "key" => value is >= -1 and <= 11 && value == Math.Floor(value),
            "mode" => value is 0 or 1,
            "time_signature" => value is >= 0 and <= 7 && value == Math.Floor(value),
            "loudness" => value is >= -100 and <= 20,
            "tempo" => value is >= 0 and <= 400,
            _ => value is >= 0 and <= 1,
        };

    /// <summary>Runs one hostile call and records its status; INTERNAL, UNKNOWN (or an unexpected OK) is a failure.</summary>
    private async Task Expect(string what, Func<Task> call, bool allowOk = false)
    {
        StatusCode code;
        try
        {
            await call();
            code = StatusCode.OK;
        }
        catch (RpcException e)
        {
            code = e.StatusCode;
        }

        _codes[code] = _codes.GetValueOrDefault(code) + 1;
        if (code is not (StatusCode.InvalidArgument or StatusCode.OK))
        {
            output.WriteLine($"{what}: {code}");
        }

        if (code is StatusCode.Internal or StatusCode.Unknown || (code == StatusCode.OK && !allowOk))
        {
            _bad.Add($"{what}: {code}");
        }
    }
}
