using Google.Rpc;
using Grpc.Core;
using MusicDna.Client;
using MusicDna.Contracts.V1;

namespace MusicDna.Testing;

/// <summary>Small conveniences over the generated client, so tests read as what they prove.</summary>
public static class ClientExtensions
{
    public static async Task<BulkIngestResponse> IngestAsync(this MusicDnaService.MusicDnaServiceClient client, IEnumerable<Track> tracks, int batchSize = 500)
    {
        using var call = client.BulkIngest();
        return await call.SendAsync(tracks.Chunk(batchSize).Select(chunk => new BulkIngestRequest { Tracks = { chunk } }).ToAsyncEnumerable());
    }

    public static Task<List<TrainResponse>> TrainAsync(this MusicDnaService.MusicDnaServiceClient client, TrainRequest request) =>
        DrainAsync(client.Train(request));

    public static Task<List<RecommendResponse>> RecommendAsync(this MusicDnaService.MusicDnaServiceClient client, RecommendRequest request) =>
        DrainAsync(client.Recommend(request));

    /// <summary>Reads a server stream to its end and disposes the call.</summary>
    private static async Task<List<T>> DrainAsync<T>(AsyncServerStreamingCall<T> call)
    {
        using (call)
        {
            var messages = new List<T>();
            await foreach (var message in call.ResponseStream.ReadAllAsync())
            {
                messages.Add(message);
            }

            return messages;
        }
    }

    /// <summary>One Recommend page: its recommendations, in order, and its end message.</summary>
    public static async Task<(List<Recommendation> Rows, RecommendEnd End)> RecommendPageAsync(
        this MusicDnaService.MusicDnaServiceClient client, RecommendRequest request)
    {
        var messages = await client.RecommendAsync(request);
        if (messages.Count == 0 || messages[^1].ResultCase != RecommendResponse.ResultOneofCase.End)
        {
            throw new InvalidDataException("The Recommend stream did not close with its end message.");
        }

        return ([.. messages.SkipLast(1).Select(m => m.Recommendation)], messages[^1].End);
    }

    /// <summary>The latent vectors of tracks under the serving model, L2-normalised, keyed by track id.</summary>
    public static async Task<Dictionary<string, float[]>> UnitVectorsAsync(this MusicDnaService.MusicDnaServiceClient client, IEnumerable<Track> tracks)
    {
        var result = new Dictionary<string, float[]>();
        foreach (var chunk in tracks.Chunk(1000))
        {
            var response = await client.EmbedAsync(new EmbedRequest { Features = { chunk.Select(t => t.Features) } });
            for (var i = 0; i < chunk.Length; i++)
            {
                var vector = response.Embeddings[i].Values.ToArray();
                var norm = MathF.Sqrt(vector.Sum(v => v * v));
                result[chunk[i].TrackId] = [.. vector.Select(v => v / norm)];
            }
        }

        return result;
    }

    public static float Cosine(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();

    /// <summary>The (code, ErrorInfo.reason, BadRequest field) of a failed call, for one-line assertions.</summary>
    public static (StatusCode Code, string Reason, string? Field) Describe(this RpcException error)
    {
        var status = error.GetRpcStatus();
        var reason = status?.GetDetail<ErrorInfo>()?.Reason ?? "";
        var field = status?.GetDetail<BadRequest>()?.FieldViolations.FirstOrDefault()?.Field;
        return (error.StatusCode, reason, field);
    }

    public static AudioFeatures Clone(this AudioFeatures features, Action<AudioFeatures> change)
    {
        var copy = features.Clone();
        change(copy);
        return copy;
    }
}
