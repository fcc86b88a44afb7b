using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using MusicDna.Contracts.V1;

namespace MusicDna.BenchDriver;

/// <summary>
/// What h2load cannot see: h2load counts a request as a success on HTTP 200, and gRPC reports failures in the
/// trailers of a 200. So before and after the load, every seed id h2load uses (and the health body) is called
/// through a real gRPC client, which fails on any non-OK status, and must stream k rows then an end. The sizes of
/// a correct response on the wire are reported too: bench/report.py compares them with the DATA bytes h2load
/// received, which would fall short if any loaded call had ended in an error.
/// </summary>
internal static class RecommendCheck
{
    public static async Task<int> RunAsync(BenchArguments arguments, CancellationToken ct)
    {
        var ids = await File.ReadAllLinesAsync(arguments.Get("ids"), ct);
        var k = arguments.GetInt("k", 10);
        using var channel = GrpcChannel.ForAddress(arguments.Get("address"));
        var client = new MusicDnaService.MusicDnaServiceClient(channel);

        var failures = new List<string>();

        // The peer serves Recommend only.
        if (arguments.Get("health", "yes") == "yes")
        {
            var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), cancellationToken: ct);
            if (health.Status != HealthCheckResponse.Types.ServingStatus.Serving)
            {
                failures.Add($"health: {health.Status}");
            }
        }

        var wireBytes = new List<long>();
        var milliseconds = new List<double>();
        foreach (var id in ids)
        {
            var clock = Stopwatch.StartNew();
            var rows = 0;
            var bytes = 0L;
            var ended = false;
            try
            {
                using var call = client.Recommend(new RecommendRequest { TrackId = id, K = k }, cancellationToken: ct);
                await foreach (var message in call.ResponseStream.ReadAllAsync(ct))
                {
                    bytes += 5 + message.CalculateSize();
                    rows += message.Recommendation is null ? 0 : 1;
                    ended |= message.End is not null;
                }
            }
            catch (RpcException e)
            {
                failures.Add($"{id}: {e.StatusCode} {e.Status.Detail}");
                continue;
            }

            milliseconds.Add(clock.Elapsed.TotalMilliseconds);
            if (rows != k || !ended)
            {
                failures.Add($"{id}: {rows} rows, end={ended}");
            }

            wireBytes.Add(bytes);
        }

        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"check: {failure}");
        }

        return BenchResult.Print(new Dictionary<string, object>
        {
            ["calls"] = ids.Length,
            ["failures"] = failures.Count,
            ["min_data_bytes"] = wireBytes.Count > 0 ? wireBytes.Min() : 0,
            ["mean_data_bytes"] = wireBytes.Count > 0 ? wireBytes.Average() : 0,
            ["sequential_mean_ms"] = milliseconds.Count > 0 ? milliseconds.Average() : 0,
        }) + (failures.Count > 0 ? 1 : 0);
    }
}
