using System.Runtime.CompilerServices;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MusicDna.Contracts.V1;
using Polly;

namespace MusicDna.Client;

/// <summary>
/// Typed access to every MusicDna RPC. The read calls (Embed, Recommend, SearchTracks, GetSonicMap, FindGenreBenders, OrderPlaylist, Bridge) are idempotent: each
/// attempt gets its own deadline and the shared Polly pipeline retries transient failures. A Recommend feed (and the
/// sonic map stream) is retried only until its first message arrives — after that a failure surfaces, since a retry would repeat tracks
/// the caller already has. Train and BulkIngest are never retried; DeleteTracks only when missing ids are allowed.
/// </summary>
public sealed class MusicDnaClient(
    MusicDnaService.MusicDnaServiceClient stub,
    IOptions<MusicDnaClientOptions> options,
    [FromKeyedServices(MusicDnaClient.PipelineKey)] ResiliencePipeline pipeline)
{
    public const string PipelineKey = "MusicDna";

    private readonly MusicDnaClientOptions _options = options.Value;

    /// <summary>Latent vectors for raw features (1 to 1,000 tracks), in input order.</summary>
    public async Task<EmbedResponse> EmbedAsync(IEnumerable<AudioFeatures> features, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        var request = new EmbedRequest { Features = { features } };
        return await pipeline.ExecuteAsync(
            async token => await stub.EmbedAsync(request, deadline: NextDeadline(), cancellationToken: token),
            cancellationToken);
    }

    /// <summary>The feed: recommendations best first, then one end message.</summary>
    public IAsyncEnumerable<RecommendResponse> RecommendAsync(RecommendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StreamAsync(token => stub.Recommend(request, deadline: NextDeadline(), cancellationToken: token), cancellationToken);
    }

    /// <summary>Catalogue tracks whose titles or artists hold words starting with the query's words, best first.</summary>
    public async Task<SearchTracksResponse> SearchTracksAsync(SearchTracksRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await pipeline.ExecuteAsync(
            async token => await stub.SearchTracksAsync(request, deadline: NextDeadline(), cancellationToken: token),
            cancellationToken);
    }

    /// <summary>The sonic map: one header, then chunks of packed positions (see <see cref="SonicMapChunk"/>).</summary>
    public IAsyncEnumerable<GetSonicMapResponse> GetSonicMapAsync(GetSonicMapRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StreamAsync(token => stub.GetSonicMap(request, deadline: NextDeadline(), cancellationToken: token), cancellationToken);
    }

    /// <summary>Tracks whose latent neighbourhood spans several genres, most genre-mixed first.</summary>
    public async Task<FindGenreBendersResponse> FindGenreBendersAsync(FindGenreBendersRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await pipeline.ExecuteAsync(
            async token => await stub.FindGenreBendersAsync(request, deadline: NextDeadline(), cancellationToken: token),
            cancellationToken);
    }

    /// <summary>A playlist reordered for flow, with its path length before and after and a lower bound.</summary>
    public async Task<OrderPlaylistResponse> OrderPlaylistAsync(OrderPlaylistRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await pipeline.ExecuteAsync(
            async token => await stub.OrderPlaylistAsync(request, deadline: NextDeadline(), cancellationToken: token),
            cancellationToken);
    }

    /// <summary>A bridge from one track to another: its steps in order from A, then one end message. Retried only until its first message arrives.</summary>
    public IAsyncEnumerable<BridgeResponse> BridgeAsync(BridgeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StreamAsync(token => stub.Bridge(request, deadline: NextDeadline(), cancellationToken: token), cancellationToken);
    }

    /// <summary>Trains a new model: progress per epoch, then the published model. Never retried.</summary>
    public async IAsyncEnumerable<TrainResponse> TrainAsync(
        TrainRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var call = stub.Train(request, cancellationToken: cancellationToken);
        await foreach (var message in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            yield return message;
        }
    }

    /// <summary>Upserts tracks, sent in batches; returns the server's summary. Never retried (re-send the whole stream: upsert makes that safe).</summary>
    public async Task<BulkIngestResponse> IngestAsync(
        IAsyncEnumerable<Track> tracks, int batchSize = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentOutOfRangeException.ThrowIfNotEqual(batchSize is >= 1 and <= 10_000, true, nameof(batchSize));
        using var call = stub.BulkIngest(cancellationToken: cancellationToken);
        return await call.SendAsync(Batches(tracks, batchSize, cancellationToken), cancellationToken);
    }

    /// <inheritdoc cref="IngestAsync(IAsyncEnumerable{Track}, int, CancellationToken)"/>
    public Task<BulkIngestResponse> IngestAsync(IEnumerable<Track> tracks, int batchSize = 1000, CancellationToken cancellationToken = default) =>
        IngestAsync(tracks.ToAsyncEnumerable(), batchSize, cancellationToken);

    /// <summary>
    /// Deletes tracks from the catalogue and the serving index, all or nothing. Retried on transient failures only
    /// with <see cref="DeleteTracksRequest.AllowMissing"/> set: then a repeat of a delete that did happen is harmless,
    /// while without it the repeat would answer NOT_FOUND.
    /// </summary>
    public async Task<DeleteTracksResponse> DeleteTracksAsync(DeleteTracksRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.AllowMissing)
        {
            return await stub.DeleteTracksAsync(request, deadline: NextDeadline(), cancellationToken: cancellationToken);
        }

        return await pipeline.ExecuteAsync(
            async token => await stub.DeleteTracksAsync(request, deadline: NextDeadline(), cancellationToken: token),
            cancellationToken);
    }

    private static async IAsyncEnumerable<BulkIngestRequest> Batches(
        IAsyncEnumerable<Track> tracks, int batchSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batch = new BulkIngestRequest();
        await foreach (var track in tracks.WithCancellation(cancellationToken))
        {
            batch.Tracks.Add(track);
            if (batch.Tracks.Count == batchSize)
            {
                yield return batch;
                batch = new BulkIngestRequest();
            }
        }

        if (batch.Tracks.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>A read stream retried (through the pipeline) until its first message arrives, never after.</summary>
    private async IAsyncEnumerable<T> StreamAsync<T>(
        Func<CancellationToken, AsyncServerStreamingCall<T>> start, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var call = await pipeline.ExecuteAsync(
            async token =>
            {
                var attempt = start(token);
                try
                {
                    return (Call: attempt, HasFirst: await attempt.ResponseStream.MoveNext(token));
                }
                catch
                {
                    attempt.Dispose();
                    throw;
                }
            },
            cancellationToken);

        using (call.Call)
        {
            if (!call.HasFirst)
            {
                yield break;
            }

            do
            {
                yield return call.Call.ResponseStream.Current;
            }
            while (await call.Call.ResponseStream.MoveNext(cancellationToken));
        }
    }

    private DateTime NextDeadline() => DateTime.UtcNow + _options.CallTimeout;
}
