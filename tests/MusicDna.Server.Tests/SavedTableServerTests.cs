using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MusicDna.Contracts.V1;
using MusicDna.Engine;

namespace MusicDna.Server.Tests;

/// <summary>
/// The real server on the embedded SQLite catalogue, restarted: its served tracks are read whole from the table it
/// saved beside the model (at publication and at shutdown) while the catalogue has not changed since, and read from
/// the catalogue again when anything changed the catalogue behind its back, or the saved table is damaged.
/// </summary>
public sealed class SavedTableServerTests : IDisposable
{
    private readonly TempDirectory _data = new("musicdna-saved-table-");
    private readonly IReadOnlyList<Track> _catalogue = SampleCatalogue.Slice(1_500);

    public void Dispose() => _data.Dispose();

    private string TablePath => Path.Combine(_data.Path, "models", "v000001", "tracks.table");

    [Fact]
    public async Task A_restart_reads_the_table_saved_at_shutdown_and_serves_what_was_ingested_and_deleted_after_the_model()
    {
        var seed = _catalogue[42];
        var twin = seed.Clone(t =>
        {
            t.TrackId = "twin-ingested-after-the-model";
            t.Name = "Twin of the seed";
        });
        var victim = _catalogue[43].TrackId;
        List<(string, float)> before;
        await using (var server = await MusicDnaTestServer.StartAsync(_data.Path))
        {
            await server.Client.IngestAsync(_catalogue);
            await server.Client.TrainAsync(TrainedServerFixture.QuickTraining);
            Assert.True(File.Exists(TablePath));

            // Both change the catalogue after the table was saved at publication: only a save at shutdown holds them.
            await server.Client.IngestAsync([twin]);
            await server.Client.DeleteTracksAsync(new DeleteTracksRequest { TrackIds = { victim } });
            before = await FeedAsync(server, seed.TrackId);
        }

        await using var restarted = await MusicDnaTestServer.StartAsync(_data.Path);

        var counters = restarted.Services.GetRequiredService<EngineCounters>();
        Assert.Equal((1L, 0L), (counters.TablesLoaded, counters.CataloguePasses));
        Assert.Equal(before, await FeedAsync(restarted, seed.TrackId));
        Assert.Equal(twin.TrackId, before[0].Item1);
        Assert.DoesNotContain(before, r => r.Item1 == victim);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            restarted.Client.RecommendPageAsync(new RecommendRequest { TrackId = victim, K = 1 }));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var ofTwin = await restarted.Client.RecommendPageAsync(new RecommendRequest { TrackId = twin.TrackId, K = 5 });
        Assert.Equal(5, ofTwin.Rows.Count);
    }

    [Fact]
    public async Task A_catalogue_changed_by_another_writer_while_the_server_was_stopped_is_read_whole_and_its_change_served()
    {
        var seed = _catalogue[7].TrackId;
        await using (var server = await MusicDnaTestServer.StartAsync(_data.Path))
        {
            await server.Client.IngestAsync(_catalogue);
            await server.Client.TrainAsync(TrainedServerFixture.QuickTraining);
        }

        // A script writing the file directly, as the benchmark's catalogue tools do: no MusicDna code runs.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "catalogue.db")};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE tracks SET name = name || ' (remastered)';";
            Assert.Equal(_catalogue.Select(t => t.TrackId).Distinct().Count(), command.ExecuteNonQuery());
        }

        await using var restarted = await MusicDnaTestServer.StartAsync(_data.Path);

        var counters = restarted.Services.GetRequiredService<EngineCounters>();
        Assert.Equal((0L, 1L), (counters.TablesLoaded, counters.CataloguePasses));
        var page = await restarted.Client.RecommendPageAsync(new RecommendRequest { TrackId = seed, K = 25 });
        Assert.Equal(25, page.Rows.Count);
        Assert.All(page.Rows, r => Assert.EndsWith(" (remastered)", r.Track.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_damaged_saved_table_is_refused_and_the_catalogue_read_whole_serving_the_same_feed()
    {
        var seed = _catalogue[9].TrackId;
        List<(string, float)> before;
        await using (var server = await MusicDnaTestServer.StartAsync(_data.Path))
        {
            await server.Client.IngestAsync(_catalogue);
            await server.Client.TrainAsync(TrainedServerFixture.QuickTraining);
            before = await FeedAsync(server, seed);
        }

        // One flipped byte in the middle of the columns.
        var bytes = await File.ReadAllBytesAsync(TablePath);
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(TablePath, bytes);

        await using (var restarted = await MusicDnaTestServer.StartAsync(_data.Path))
        {
            var counters = restarted.Services.GetRequiredService<EngineCounters>();
            Assert.Equal((0L, 1L), (counters.TablesLoaded, counters.CataloguePasses));
            Assert.Equal(before, await FeedAsync(restarted, seed));
        }

        // The pass saved a sound table again: the next start reads it.
        await using var again = await MusicDnaTestServer.StartAsync(_data.Path);
        Assert.Equal(1L, again.Services.GetRequiredService<EngineCounters>().TablesLoaded);
        Assert.Equal(before, await FeedAsync(again, seed));
    }

    private static async Task<List<(string, float)>> FeedAsync(MusicDnaTestServer server, string seed)
    {
        var page = await server.Client.RecommendPageAsync(new RecommendRequest { TrackId = seed, K = 25 });
        Assert.Equal(25, page.Rows.Count);
        return [.. page.Rows.Select(r => (r.Track.TrackId, r.Score))];
    }
}
