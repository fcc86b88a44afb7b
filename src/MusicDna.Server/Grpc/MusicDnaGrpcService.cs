using Grpc.Core;
using MusicDna.Contracts.V1;
using MusicDna.Core.Errors;
using MusicDna.Engine.Bridges;
using MusicDna.Engine.Deletes;
using MusicDna.Engine.Embedding;
using MusicDna.Engine.GenreBenders;
using MusicDna.Engine.Ingest;
using MusicDna.Engine.Map;
using MusicDna.Engine.Playlists;
using MusicDna.Engine.Recommend;
using MusicDna.Engine.Search;
using MusicDna.Engine.Training;
using MusicDna.Server.Grpc.Mapping;
using MusicDna.Server.Limits;
using MusicDna.Server.Security;

namespace MusicDna.Server.Grpc;

/// <summary>
/// The gRPC face of MusicDna: maps messages to the engine's queries, calls the engine, maps its results and events
/// back. Domain errors become statuses in <see cref="ErrorInterceptor"/>; roles and time limits come from
/// <see cref="Methods.MethodRules"/>; nothing here knows how models or indexes work.
/// </summary>
[BindServiceMethod(typeof(StrictMessageBinder), nameof(StrictMessageBinder.BindService))]
internal sealed class MusicDnaGrpcService(
    TrainingWorkflow training,
    Embedder embedder,
    Recommender recommender,
    GenreBenderFinder genreBenders,
    Ingestor ingestor,
    TrackSearcher searcher,
    PlaylistOrderer playlists,
    BridgeBuilder bridges,
    SonicMapReader sonicMap,
    TrackDeleter deleter,
    ExpensiveCallGate expensiveCalls) : MusicDnaService.MusicDnaServiceBase
{
    public const int MaxTracksPerIngestMessage = 10_000;

    public override async Task Train(TrainRequest request, IServerStreamWriter<TrainResponse> responseStream, ServerCallContext context)
    {
        var (config, options) = TrainRequestMapper.ToDomain(request);
        await foreach (var item in training.RunAsync(config, options, context.CancellationToken))
        {
            await responseStream.WriteAsync(TrainRequestMapper.ToContract(item), context.CancellationToken);
        }
    }

    public override Task<EmbedResponse> Embed(EmbedRequest request, ServerCallContext context)
    {
        var features = request.Features.Select((f, i) => FeatureMapper.ToVector(f, $"features[{i}]")).ToList();
        return Task.FromResult(EmbedMapper.ToContract(embedder.Embed(features)));
    }

    public override async Task Recommend(RecommendRequest request, IServerStreamWriter<RecommendResponse> responseStream, ServerCallContext context)
    {
        var query = RecommendRequestMapper.ToDomain(request);
        using var permit = expensiveCalls.Enter(query.IsExpensive, Caller.Of(context));
        var feed = new FeedWriter(responseStream, context.CancellationToken);
        await foreach (var item in recommender.StreamAsync(query, context.CancellationToken))
        {
            var message = RecommendRequestMapper.ToContract(item);
            await (item is FeedEnd ? feed.WriteEndAsync(message) : feed.WriteRowAsync(message));
        }
    }

    public override Task<FindGenreBendersResponse> FindGenreBenders(FindGenreBendersRequest request, ServerCallContext context)
    {
        var query = GenreBenderMapper.ToDomain(request);
        using var permit = expensiveCalls.Enter(query.IsExpensive, Caller.Of(context));
        return Task.FromResult(GenreBenderMapper.ToContract(genreBenders.Find(query, context.CancellationToken)));
    }

    public override async Task<SearchTracksResponse> SearchTracks(SearchTracksRequest request, ServerCallContext context) =>
        SearchTracksMapper.ToContract(await searcher.SearchAsync(SearchTracksMapper.ToDomain(request), context.CancellationToken));

    public override async Task GetSonicMap(GetSonicMapRequest request, IServerStreamWriter<GetSonicMapResponse> responseStream, ServerCallContext context)
    {
        var chunkSize = SonicMapMapper.ChunkSize(request);
        foreach (var message in SonicMapMapper.ToContract(sonicMap.Read(context.CancellationToken), chunkSize))
        {
            await responseStream.WriteAsync(message, context.CancellationToken);
        }
    }

    public override Task<OrderPlaylistResponse> OrderPlaylist(OrderPlaylistRequest request, ServerCallContext context) =>
        Task.FromResult(PlaylistMapper.ToContract(playlists.Order(PlaylistMapper.ToDomain(request), context.CancellationToken)));

    public override async Task Bridge(BridgeRequest request, IServerStreamWriter<BridgeResponse> responseStream, ServerCallContext context)
    {
        foreach (var item in bridges.Build(BridgeMapper.ToDomain(request), context.CancellationToken))
        {
            await responseStream.WriteAsync(BridgeMapper.ToContract(item), context.CancellationToken);
        }
    }

    public override async Task<BulkIngestResponse> BulkIngest(IAsyncStreamReader<BulkIngestRequest> requestStream, ServerCallContext context)
    {
        await using var session = ingestor.OpenSession();
        await foreach (var message in requestStream.ReadToEndAsync(context.CancellationToken))
        {
            if (message.Tracks.Count > MaxTracksPerIngestMessage)
            {
                // Rows committed so far stay (see the contract); the caller is told which limit it broke.
                throw new InvalidInputException("tracks", $"at most {MaxTracksPerIngestMessage} tracks per message, got {message.Tracks.Count}");
            }

            await session.AddAsync([.. message.Tracks.Select(IngestMapper.ToIngestRow)], context.CancellationToken);
        }

        return IngestMapper.ToContract(await session.CompleteAsync(context.CancellationToken));
    }

    public override async Task<DeleteTracksResponse> DeleteTracks(DeleteTracksRequest request, ServerCallContext context)
    {
        var summary = await deleter.DeleteAsync([.. request.TrackIds], request.AllowMissing, context.CancellationToken);
        return DeleteMapper.ToContract(summary);
    }
}
