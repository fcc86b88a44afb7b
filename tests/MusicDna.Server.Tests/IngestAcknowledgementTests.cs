using Microsoft.Extensions.DependencyInjection;
using MusicDna.Catalogue;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>What a broken ingest stream keeps: every row whose commit had started, which is every row a moment after it arrived.</summary>
public sealed class IngestAcknowledgementTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _data = new();
    private MusicDnaTestServer _server = null!;

    public async Task InitializeAsync() => _server = await MusicDnaTestServer.StartAsync(_data.Path);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Rows_of_a_stream_left_open_are_committed_within_moments_and_kept_when_it_is_cancelled()
    {
        var catalogue = _server.Services.GetRequiredService<ITrackCatalogue>();
        var tracks = SampleCatalogue.Slice(1500);
        using var cancel = new CancellationTokenSource();
        using var call = _server.Client.BulkIngest(cancellationToken: cancel.Token);
        foreach (var chunk in tracks.Chunk(500))
        {
            await call.RequestStream.WriteAsync(new BulkIngestRequest { Tracks = { chunk } });
        }

        // Far fewer than a 5,000-row batch, and the stream stays open: the rows commit on the time bound.
        var committed = await Poll.UntilAsync(() => catalogue.CountAsync().Result == tracks.Count, TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(async () => await call);

        Assert.True(committed, $"only {await catalogue.CountAsync()} of {tracks.Count} rows were committed while the stream was open");
        Assert.Equal(tracks.Count, await catalogue.CountAsync());
    }
}
