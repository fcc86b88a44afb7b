using System.Buffers.Binary;
using Google.Protobuf;
using Grpc.Health.V1;
using MusicDna.Contracts.V1;

namespace MusicDna.BenchDriver;

/// <summary>
/// Writes the request bodies h2load sends, framed as gRPC does on the wire (1 byte compressed flag = 0, 4 bytes
/// big-endian length, the protobuf bytes): one Recommend k=10 body per seed id, spread evenly over the catalogue
/// (h2load sends one body per process, so bench.sh runs one process per id), and the empty Health/Check body.
/// </summary>
internal static class RequestBodies
{
    public static async Task<int> RunAsync(BenchArguments arguments, CancellationToken ct)
    {
        var tracks = CsvTracks.Distinct(await CsvTracks.ReadAsync(arguments.Get("csv"), ct));
        var count = arguments.GetInt("ids", 8);
        var k = arguments.GetInt("k", 10);
        var directory = Directory.CreateDirectory(arguments.Get("out")).FullName;

        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            // Deterministic and spread: the CSV is grouped by genre, so even steps visit many genres.
            var id = tracks[(int)((long)i * tracks.Count / count)].TrackId;
            ids.Add(id);
            await File.WriteAllBytesAsync(
                Path.Combine(directory, $"recommend-{i}.bin"), Frame(new RecommendRequest { TrackId = id, K = k }), ct);
        }

        await File.WriteAllLinesAsync(Path.Combine(directory, "ids.txt"), ids, ct);
        await File.WriteAllBytesAsync(Path.Combine(directory, "health.bin"), Frame(new HealthCheckRequest()), ct);
        return BenchResult.Print(new Dictionary<string, object> { ["ids"] = ids.Count, ["k"] = k, ["directory"] = directory });
    }

    private static byte[] Frame(IMessage message)
    {
        var body = new byte[5 + message.CalculateSize()];
        BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(1, 4), body.Length - 5);
        message.WriteTo(body.AsSpan(5));
        return body;
    }
}
