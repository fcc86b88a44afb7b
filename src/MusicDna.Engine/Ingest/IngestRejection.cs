namespace MusicDna.Engine.Ingest;

/// <summary>A refused row: its 1-based position in the stream, its id as sent, the field and the reason.</summary>
public sealed record IngestRejection(long RowNumber, string TrackId, string Field, string Reason);
