using Google.Rpc;
using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests.Infrastructure;

/// <summary>Small conveniences over the generated client, so tests read as what they prove.</summary>
public static class ClientExtensions
{
    public static async Task<BulkIngestResponse> IngestAsync(this MusicDnaService.MusicDnaServiceClient client, IEnumerable<Track> tracks, int batchSize = 500)
    {
        using var call = client.BulkIngest();
        foreach (var chunk in tracks.Chunk(batchSize))
        {
            await call.RequestStream.WriteAsync(new BulkIngestRequest { Tracks = { chunk } });
        }

        await call.RequestStream.CompleteAsync();
        return await call;
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
