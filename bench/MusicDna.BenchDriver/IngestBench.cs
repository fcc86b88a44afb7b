using System.Diagnostics;
using Grpc.Net.Client;
using MusicDna.Server.Grpc.Mapping;
using MusicDna.Contracts.V1;

namespace MusicDna.BenchDriver;

/// <summary>
/// BulkIngest of the whole CSV through the RPC: messages are built first, then the clock runs from the call's start
/// to its summary, when every row is durably committed (the RPC's contract).
/// </summary>
internal static class IngestBench
{
    public static async Task<int> RunAsync(BenchArguments arguments, CancellationToken ct)
    {
        var tracks = await CsvTracks.ReadAsync(arguments.Get("csv"), ct);
        var batchSize = arguments.GetInt("batch", 2000);
        var batches = tracks.Chunk(batchSize)
            .Select(chunk =>
            {
                var request = new BulkIngestRequest();
                request.Tracks.AddRange(chunk.Select(t => t.ToContract()));
                return request;
            })
            .ToList();

        using var channel = GrpcChannel.ForAddress(arguments.Get("address"));
        var client = new MusicDnaService.MusicDnaServiceClient(channel);
        var clock = Stopwatch.StartNew();
        using var call = client.BulkIngest(cancellationToken: ct);
        foreach (var batch in batches)
        {
            await call.RequestStream.WriteAsync(batch, ct);
        }

        await call.RequestStream.CompleteAsync();
        var summary = await call.ResponseAsync;
        var seconds = clock.Elapsed.TotalSeconds;
        return BenchResult.Print(new Dictionary<string, object>
        {
            ["rows"] = tracks.Count,
            ["batch"] = batchSize,
            ["seconds"] = seconds,
            ["rows_per_s"] = tracks.Count / seconds,
            ["inserted"] = summary.Inserted,
            ["updated"] = summary.Updated,
            ["rejected"] = summary.Rejected,
        });
    }
}
