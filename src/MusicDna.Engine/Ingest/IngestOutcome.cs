namespace MusicDna.Engine.Ingest;

/// <summary>What one ingested batch did: catalogue counts, and the model its tracks were embedded with (0 = none yet).</summary>
public sealed record IngestOutcome(int Inserted, int Updated, long ModelVersion);
