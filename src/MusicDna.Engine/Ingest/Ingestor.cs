using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Ingest;

/// <summary>Opens ingest sessions: one per BulkIngest stream or bootstrap load.</summary>
public sealed class Ingestor(ServingPublisher publisher, EngineCounters counters)
{
    public IngestSession OpenSession() => new(publisher, counters);
}
