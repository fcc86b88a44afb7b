using System.Diagnostics;
using Grpc.Net.Client;
using MusicDna.Server.Grpc.Mapping;
using MusicDna.Contracts.V1;

namespace MusicDna.BenchDriver;

/// <summary>Embed of every distinct catalogue track in batches (the RPC's maximum, 1,000, by default), one call at a
/// time; requests are built before the clock starts.</summary>
internal static class EmbedBench
{
    public static async Task<int> RunAsync(BenchArguments arguments, CancellationToken ct)
    {
        var tracks = CsvTracks.Distinct(await CsvTracks.ReadAsync(arguments.Get("csv"), ct));
        var batchSize = arguments.GetInt("batch", 1000);
        var requests = tracks.Chunk(batchSize)
            .Select(chunk =>
            {
                var request = new EmbedRequest();
                request.Features.AddRange(chunk.Select(t => FeatureMapper.ToContract(t.Features)));
                return request;
            })
            .ToList();

        using var channel = GrpcChannel.ForAddress(arguments.Get("address"));
        var client = new MusicDnaService.MusicDnaServiceClient(channel);
        await client.EmbedAsync(requests[0], cancellationToken: ct); // connection set up outside the clock
        var latents = 0L;
        var clock = Stopwatch.StartNew();
        foreach (var request in requests)
        {
            var response = await client.EmbedAsync(request, cancellationToken: ct);
            latents += response.Embeddings.Count;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return BenchResult.Print(new Dictionary<string, object>
        {
            ["latents"] = latents,
            ["batch"] = batchSize,
            ["seconds"] = seconds,
            ["latents_per_s"] = latents / seconds,
        });
    }
}
