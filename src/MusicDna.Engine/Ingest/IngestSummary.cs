namespace MusicDna.Engine.Ingest;

/// <summary>What a whole ingest stream did.</summary>
public sealed record IngestSummary(
    long Received,
    long Inserted,
    long Updated,
    long Rejected,
    IReadOnlyList<IngestRejection> Rejections,
    long ModelVersion);
