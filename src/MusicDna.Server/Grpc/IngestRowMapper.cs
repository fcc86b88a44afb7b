using MusicDna.Contracts.Mapping;
using MusicDna.Engine;
using Contract = MusicDna.Contracts.V1;

namespace MusicDna.Server.Grpc;

/// <summary>An ingested message → an ingest row: the domain track, or why the message cannot become one.</summary>
internal static class IngestRowMapper
{
    public static IngestRow ToIngestRow(Contract.Track track) =>
        TrackMapper.TryToDomain(track, out var missing) is { } domain
            ? IngestRow.Valid(domain)
            : IngestRow.Invalid(track.TrackId, missing!);
}
