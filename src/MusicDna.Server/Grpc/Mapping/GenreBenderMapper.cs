using MusicDna.Contracts.V1;
using MusicDna.Engine.GenreBenders;

namespace MusicDna.Server.Grpc.Mapping;

/// <summary>FindGenreBendersRequest → the domain query (unset = default; values are checked by the domain); result → contract.</summary>
internal static class GenreBenderMapper
{
    public static GenreBenderQuery ToDomain(FindGenreBendersRequest request) => new(
        request.Genre,
        request.K == 0 ? GenreBenderQuery.DefaultK : request.K,
        request.Neighbours == 0 ? GenreBenderQuery.DefaultNeighbours : request.Neighbours);

    public static FindGenreBendersResponse ToContract(GenreBenderResult result)
    {
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

}
