using MusicDna.Contracts.V1;
using MusicDna.Engine.Deletes;

namespace MusicDna.Server.Grpc.Mapping;

/// <summary>A delete's summary → DeleteTracksResponse.</summary>
internal static class DeleteMapper
{
    public static DeleteTracksResponse ToContract(DeleteSummary summary) => new()
    {
        Deleted = summary.Deleted,
        MissingTrackIds = { summary.MissingTrackIds },
        ModelVersion = summary.ModelVersion,
    };
}
