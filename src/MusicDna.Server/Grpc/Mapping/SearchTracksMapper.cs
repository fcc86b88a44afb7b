using MusicDna.Catalogue;
using MusicDna.Contracts.V1;
using MusicDna.Engine.Search;

namespace MusicDna.Server.Grpc.Mapping;

/// <summary>SearchTracksRequest → the domain query (unset = default; values are checked by the domain); result → contract.</summary>
internal static class SearchTracksMapper
{
    public static TrackSearchQuery ToDomain(SearchTracksRequest request) =>
        new(request.Query, request.Limit == 0 ? TrackSearchQuery.DefaultLimit : request.Limit);

    public static SearchTracksResponse ToContract(TrackSearchResult result) => new()
    {
        Tracks = { result.Tracks.Select(TrackMapper.ToContract) },
        Truncated = result.Truncated,
    };
}
