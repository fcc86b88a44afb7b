using System.Threading.Channels;
using Grpc.Core;
using MusicDna.Contracts.Mapping;
using MusicDna.Contracts.V1;
using MusicDna.Core.Errors;
using MusicDna.Engine;
using MusicDna.Model;
using MusicDna.Server.Hosting;

namespace MusicDna.Server.Grpc;

/// <summary>
/// The gRPC face of MusicDna: validates and maps messages, calls the engine, streams results.
/// Domain errors become statuses in <see cref="ErrorInterceptor"/>; nothing here knows how models or indexes work.
/// </summary>
[BindServiceMethod(typeof(StrictMessageBinder), nameof(StrictMessageBinder.BindService))]
internal sealed class MusicDnaGrpcService(
    TrainingWorkflow training,
    Embedder embedder,
    Recommender recommender,
    GenreBenderFinder genreBenders,
    CatalogueIndexer indexer,
    MusicDnaMetrics metrics) : MusicDnaService.MusicDnaServiceBase
{
    public const int MaxTracksPerIngestMessage = 10_000;

    private static readonly WriteOptions BufferedWrite = new(WriteFlags.BufferHint);

    public override async Task Train(TrainRequest request, IServerStreamWriter<TrainResponse> responseStream, ServerCallContext context)
    {
        var (config, options) = TrainRequestMapper.ToDomain(request);
        var progress = Channel.CreateUnbounded<EpochProgress>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);

        var run = RunAsync();
        try
        {
            // The channel completes when the run ends, however it ends.
            await foreach (var epoch in progress.Reader.ReadAllAsync(CancellationToken.None))
            {
                metrics.EpochCompleted();
                await responseStream.WriteAsync(new TrainResponse { Progress = TrainRequestMapper.ToContract(epoch) }, stop.Token);
            }
        }
        catch (Exception) when (!run.IsCompleted)
        {
            // The client went away mid-stream: stop training, publish nothing.
            await stop.CancelAsync();
            await run.ContinueWith(static _ => { }, TaskScheduler.Default);
            throw;
        }

        var published = await run;
        await responseStream.WriteAsync(new TrainResponse { Model = TrainRequestMapper.ToContract(published) }, context.CancellationToken);

        async Task<TrainingOutcome> RunAsync()
        {
            try
            {
                return await training.TrainAsync(config, options, new ChannelProgress<EpochProgress>(progress.Writer), stop.Token);
            }
            finally
            {
                progress.Writer.TryComplete();
            }
        }
    }

    public override Task<EmbedResponse> Embed(EmbedRequest request, ServerCallContext context)
    {
        var features = request.Features.Select((f, i) => FeatureMapper.ToVector(f, $"features[{i}]")).ToList();
        var batch = embedder.Embed(features);
        var response = new EmbedResponse { ModelVersion = batch.ModelVersion };
        for (var i = 0; i < batch.Count; i++)
        {
            response.Embeddings.Add(new Embedding { Values = { batch[i].ToArray() } });
        }

        return Task.FromResult(response);
    }

    public override async Task Recommend(RecommendRequest request, IServerStreamWriter<RecommendResponse> responseStream, ServerCallContext context)
    {
        var query = RecommendRequestMapper.ToDomain(request);
        var rank = 0;
        await foreach (var item in recommender.StreamAsync(query, context.CancellationToken))
        {
            var isRow = item is Engine.Recommendation;
            if (isRow)
            {
                rank++;
            }

            // Rows are buffered (gRPC's BufferHint) and flushed once per batch the engine streams, and with the feed's
            // end: each flush is a trip through Kestrel's HTTP/2 output, so a k=10 page costs one flush instead of
            // eleven, while a long feed still reaches the caller as it is ranked.
            responseStream.WriteOptions = isRow && rank % Recommender.StreamBatch != 0 ? BufferedWrite : null;
            await responseStream.WriteAsync(
                RecommendRequestMapper.ToContract(item, isRow ? rank : 0), context.CancellationToken);
        }
    }

    public override async Task<FindGenreBendersResponse> FindGenreBenders(FindGenreBendersRequest request, ServerCallContext context)
    {
        var result = await genreBenders.FindAsync(
            new GenreBenderQuery(
                request.Genre,
                request.K == 0 ? GenreBenderQuery.DefaultK : request.K,
                request.Neighbours == 0 ? GenreBenderQuery.DefaultNeighbours : request.Neighbours),
            context.CancellationToken);
        var response = new FindGenreBendersResponse { ModelVersion = result.ModelVersion, Candidates = result.Candidates };
        var rank = 0;
        response.Benders.AddRange(result.Benders.Select(b => new Contracts.V1.GenreBender
        {
            Rank = ++rank,
            Track = TrackMapper.ToContract(b.Track),
            Entropy = b.Entropy,
            NeighbourGenres = { b.NeighbourGenres.Select(g => new GenreCount { Genre = g.Key, Count = g.Value }) },
        }));
        return response;
    }

    public override async Task<BulkIngestResponse> BulkIngest(IAsyncStreamReader<BulkIngestRequest> requestStream, ServerCallContext context)
    {
        await using var session = new IngestSession(indexer);
        await foreach (var message in requestStream.ReadAllAsync(context.CancellationToken))
        {
            if (message.Tracks.Count > MaxTracksPerIngestMessage)
            {
                // Rows committed so far stay (see the contract); the caller is told which limit it broke.
                throw new InvalidInputException("tracks", $"at most {MaxTracksPerIngestMessage} tracks per message, got {message.Tracks.Count}");
            }

            await session.AddAsync([.. message.Tracks.Select(IngestRowMapper.ToIngestRow)], context.CancellationToken);
        }

        var summary = await session.CompleteAsync(context.CancellationToken);
        metrics.Ingested(summary);
        var response = new BulkIngestResponse
        {
            Received = summary.Received,
            Inserted = summary.Inserted,
            Updated = summary.Updated,
            Rejected = summary.Rejected,
            ModelVersion = summary.ModelVersion,
        };
        response.Rejections.AddRange(summary.Rejections.Select(r => new Rejection
        {
            RowNumber = r.RowNumber,
            TrackId = r.TrackId,
            Field = r.Field,
            Reason = r.Reason,
        }));
        return response;
    }
}
