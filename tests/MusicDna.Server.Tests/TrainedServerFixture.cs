using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>One real server over a fresh data directory, loaded with a slice of the sample catalogue and trained once.</summary>
public sealed class TrainedServerFixture : IAsyncLifetime, IDisposable
{
    public const int CatalogueSize = 1200;

    private readonly TempDirectory _data = new();

    public MusicDnaTestServer Server { get; private set; } = null!;

    public IReadOnlyList<Track> Catalogue { get; } = SampleCatalogue.Slice(CatalogueSize);

    public BulkIngestResponse Ingest { get; private set; } = null!;

    public IReadOnlyList<TrainResponse> TrainStream { get; private set; } = null!;

    public ModelSummary Model => TrainStream[^1].Model;

    public static TrainRequest QuickTraining => new() { Epochs = 6, BatchSize = 128, Seed = 7 };

    public async Task InitializeAsync()
    {
        Server = await MusicDnaTestServer.StartAsync(_data.Path);
        Ingest = await Server.Client.IngestAsync(Catalogue);
        TrainStream = await Server.Client.TrainAsync(QuickTraining);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Dispose();
    }

    public void Dispose() => _data.Dispose();
}
