using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>The song of every track is stored with it: a restarted server collapses the same songs without re-ingest.</summary>
public sealed class SongsAcrossRestartTests
{
    [Fact]
    public async Task A_restarted_server_collapses_the_same_versions_into_the_same_songs()
    {
        using var data = new TempDirectory();
        var sample = SampleCatalogue.Slice(300);
        var seed = sample[5];
        var versions = new[]
        {
            seed.Clone(t => { t.TrackId = "r-remaster"; t.Name += " - 2015 Remaster"; }),
            seed.Clone(t => { t.TrackId = "r-mono"; t.Name += " - Mono"; }),
        };
        var request = new RecommendRequest { TrackId = seed.TrackId, K = 15 };

        List<Recommendation> before;
        await using (var server = await MusicDnaTestServer.StartAsync(data.Path))
        {
            await server.Client.IngestAsync([.. sample, .. versions]);
            await server.Client.TrainAsync(new TrainRequest { Epochs = 2, BatchSize = 128, Seed = 7 });
            before = (await server.Client.RecommendPageAsync(request)).Rows;
        }

        await using var restarted = await MusicDnaTestServer.StartAsync(data.Path);
        var (after, end) = await restarted.Client.RecommendPageAsync(request);

        Assert.Equal(before.Select(r => (r.Track.TrackId, r.SongId, r.SongVersions)), after.Select(r => (r.Track.TrackId, r.SongId, r.SongVersions)));
        Assert.DoesNotContain(after, r => r.Track.TrackId.StartsWith("r-", StringComparison.Ordinal));
        Assert.Equal(3, end.Removals.Single(r => r.Stage == "seed").Removed);
    }
}
