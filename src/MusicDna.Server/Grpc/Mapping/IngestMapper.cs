using MusicDna.Contracts.V1;
using MusicDna.Engine.Ingest;

namespace MusicDna.Server.Grpc.Mapping;

/// <summary>An ingested message's track → an ingest row (the domain track, or why the message cannot become one); the session's summary → contract.</summary>
internal static class IngestMapper
{
    public static IngestRow ToIngestRow(Track track) =>
        TrackMapper.TryToDomain(track, out var missing) is { } domain
            ? IngestRow.Valid(domain)
            : IngestRow.Invalid(track.TrackId, missing!);

    public static BulkIngestResponse ToContract(IngestSummary summary)
    {
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
