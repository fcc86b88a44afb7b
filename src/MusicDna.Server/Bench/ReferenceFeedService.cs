using System.Collections.Concurrent;
using Grpc.Core;
using MusicDna.Contracts.V1;
using MusicDna.Engine.Recommend;
using MusicDna.Server.Grpc;
using MusicDna.Server.Grpc.Mapping;

namespace MusicDna.Server.Bench;

/// <summary>
/// A ceiling for the benchmark, mapped only when <c>MusicDna:Bench:ReferenceFeed</c> is true: <c>Feed</c> answers a
/// RecommendRequest with the very messages the real Recommend produced for the same request the first time (kept in
/// memory), written the way the Recommend adapter writes them (<see cref="FeedWriter"/>). Against it, a benchmark can
/// tell what grpc-dotnet and Kestrel cost for a feed of this shape from what MusicDna's own path adds. It has no
/// authentication and serves nothing a Recommend would not: it is off by default and not part of the contract.
/// </summary>
[BindServiceMethod(typeof(ReferenceFeedBase), nameof(ReferenceFeedBase.BindService))]
internal sealed class ReferenceFeedService(Recommender recommender) : ReferenceFeedBase
{
    private readonly ConcurrentDictionary<RecommendRequest, RecommendResponse[]> _feeds = new();

    public override async Task Feed(RecommendRequest request, IServerStreamWriter<RecommendResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (!_feeds.TryGetValue(request, out var messages))
        {
            var produced = new List<RecommendResponse>();
            await foreach (var item in recommender.StreamAsync(RecommendRequestMapper.ToDomain(request), context.CancellationToken))
            {
                produced.Add(RecommendRequestMapper.ToContract(item));
            }

            messages = _feeds.GetOrAdd(request, [.. produced]);
        }

        var feed = new FeedWriter(responseStream, context.CancellationToken);
        for (var i = 0; i < messages.Length - 1; i++)
        {
            await feed.WriteRowAsync(messages[i]);
        }

        await feed.WriteEndAsync(messages[^1]);
    }
}
