using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using MusicDna.Contracts.V1;
using MusicDna.Server.Grpc.Mapping;

namespace MusicDna.BenchDriver;

/// <summary>
/// Replica propagation: --count (1,000) single-track BulkIngest calls through --writer, one after another; after each
/// acknowledgement, --reader is asked (Recommend by the new track's own features, k = 1, as fast as it answers) until
/// the new track comes back first, i.e. is recommendable there. The figure is the time from the writer's
/// acknowledgement to the first such answer (the polling adds at most one Recommend round trip).
/// </summary>
internal static class PropagationBench
{
    public static async Task<int> RunAsync(BenchArguments arguments, CancellationToken ct)
    {
        var count = arguments.GetInt("count", 1000);
        using var writerChannel = GrpcChannel.ForAddress(arguments.Get("writer"));
        using var readerChannel = GrpcChannel.ForAddress(arguments.Get("reader"));
        var writer = new MusicDnaService.MusicDnaServiceClient(writerChannel);
        var reader = new MusicDnaService.MusicDnaServiceClient(readerChannel);
        var random = new Random(arguments.GetInt("seed", 7));
        var run = Guid.NewGuid().ToString("N")[..8];
        var latencies = new List<double>(count);
        var writes = new List<double>(count);
        var polls = 0L;
        for (var i = 0; i < count; i++)
        {
            var track = TrackMapper.ToContract(SyntheticCatalogue.Make(random, $"propagation-{run}-{i}", i));
            var request = new RecommendRequest { Features = track.Features, K = 1 };
            var write = Stopwatch.StartNew();
            using (var call = writer.BulkIngest(cancellationToken: ct))
            {
                await call.RequestStream.WriteAsync(new BulkIngestRequest { Tracks = { track } }, ct);
                await call.RequestStream.CompleteAsync();
                await call.ResponseAsync;
            }

            writes.Add(write.Elapsed.TotalMilliseconds);
            var clock = Stopwatch.StartNew();
            while (true)
            {
                polls++;
                using var feed = reader.Recommend(request, cancellationToken: ct);
                await feed.ResponseStream.MoveNext(ct);
                if (feed.ResponseStream.Current.Recommendation?.Track.TrackId == track.TrackId)
                {
                    break;
                }

                if (clock.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException($"track {i} did not reach the reader within 30 s");
                }
            }

            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        writes.Sort();
        return BenchResult.Print(new Dictionary<string, object>
        {
            ["ingests"] = count,
            ["p50_ms"] = Percentile(latencies, 0.50),
            ["p90_ms"] = Percentile(latencies, 0.90),
            ["p99_ms"] = Percentile(latencies, 0.99),
            ["max_ms"] = latencies[^1],
            ["write_p50_ms"] = Percentile(writes, 0.50),
            ["write_p99_ms"] = Percentile(writes, 0.99),
            ["polls_per_ingest"] = (double)polls / count,
        });
    }

    private static double Percentile(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
}
