using System.Diagnostics;
using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>
/// Three real server processes (each with a data directory of its own: no shared files) over one PostgreSQL catalogue:
/// what goes in or out through one replica is served or gone through the others, a model trained through one serves
/// everywhere, PostgreSQL restarting costs nothing but the writes attempted while it is down, a replica killed and
/// started again serves what the others serve, and one stopped and started again on its own data directory reads the
/// table it saved and catches up before it listens.
/// </summary>
[Collection(PostgresServerDefinition.Name)]
public sealed class ClusterTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(15);
    private readonly List<TempDirectory> _directories = [];
    private readonly List<ServerProcess> _replicas = [];
    private readonly Dictionary<ServerProcess, string> _dataDirectories = [];
    private readonly IReadOnlyList<Track> _catalogue = SampleCatalogue.Slice(600);
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await postgres.Server.CreateDatabaseAsync("cluster");

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        foreach (var directory in _directories)
        {
            directory.Dispose();
        }
    }

    [Fact]
    public async Task Three_replicas_over_one_database_serve_the_same_catalogue_and_model_through_ingest_delete_train_a_database_restart_and_a_kill()
    {
        var a = await StartReplicaAsync();
        var b = await StartReplicaAsync();
        var c = await StartReplicaAsync();

        // A first model, through A, reaches B and C.
        await a.Client.IngestAsync(_catalogue);
        var first = (await a.Client.TrainAsync(TrainedServerFixture.QuickTraining))[^1].Model;
        await EveryReplicaServesAsync([b, c], first.ModelVersion);

        // Ingested through A (a song of its own, so no other version of it collapses it away): recommendable through
        // B and C, with the song id A's catalogue stored and a place on their sonic maps.
        var newcomer = _catalogue[5].Clone(t =>
        {
            t.TrackId = "cluster-newcomer"; t.Name = "Cluster Newcomer"; t.Features.Tempo = 199.5; t.Features.Energy = 0.999;
        });
        var newcomerSong = MusicDna.Core.Tracks.SongKey.Of(newcomer.TrackId, newcomer.Name, [.. newcomer.Artists]);
        var ingested = await a.Client.IngestAsync([newcomer]);
        Assert.Equal(1, ingested.Inserted);
        foreach (var replica in new[] { b, c })
        {
            await EventuallyAsync(async () => await NearestAsync(replica, newcomer) == newcomer.TrackId, $"the new track on replica {replica.Port}", replica);
            Assert.Single((await replica.Client.RecommendPageAsync(new RecommendRequest { TrackId = newcomer.TrackId, K = 1 })).Rows);
            var served = (await replica.Client.RecommendPageAsync(new RecommendRequest { Features = newcomer.Features, K = 1 })).Rows.Single();
            Assert.Equal(newcomerSong, served.SongId);
            Assert.Contains(newcomer.TrackId, await MapTrackIdsAsync(replica));
        }

        // Deleted through C: gone from A and B, as a result and as a seed.
        var deleted = await c.Client.DeleteTracksAsync(new DeleteTracksRequest { TrackIds = { newcomer.TrackId } });
        Assert.Equal(1, deleted.Deleted);
        foreach (var replica in new[] { a, b })
        {
            await EventuallyAsync(async () => await NearestAsync(replica, newcomer) != newcomer.TrackId, $"the deletion on replica {replica.Port}", replica);
            var error = await Assert.ThrowsAsync<RpcException>(() => replica.Client.RecommendAsync(new RecommendRequest { TrackId = newcomer.TrackId, K = 1 }));
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
            Assert.DoesNotContain(newcomer.TrackId, await MapTrackIdsAsync(replica));
        }

        // PostgreSQL goes down: reads are served from memory, writes are UNAVAILABLE with the reason; then it comes back.
        var seed = _catalogue[40];
        var servedBefore = await RowIdsAsync(a, seed);
        await postgres.Server.StopServerAsync();
        try
        {
            Assert.Equal(servedBefore, await RowIdsAsync(a, seed));
            Assert.Equal(servedBefore, await RowIdsAsync(b, seed));
            var ingestError = await Assert.ThrowsAsync<RpcException>(() => b.Client.IngestAsync([_catalogue[1].Clone(t => t.TrackId = "during-outage")]));
            Assert.Equal((StatusCode.Unavailable, "CATALOGUE_UNAVAILABLE"), (ingestError.Describe().Code, ingestError.Describe().Reason));
            var trainError = await Assert.ThrowsAsync<RpcException>(() => c.Client.TrainAsync(TrainedServerFixture.QuickTraining));
            Assert.Equal((StatusCode.Unavailable, "CATALOGUE_UNAVAILABLE"), (trainError.Describe().Code, trainError.Describe().Reason));
        }
        finally
        {
            await postgres.Server.StartServerAsync();
        }

        // Everything recovers by itself: a write through B works again and reaches A and C.
        var afterRestart = _catalogue[7].Clone(t =>
        {
            t.TrackId = "after-restart"; t.Name = "After The Restart"; t.Features.Tempo = 12.5; t.Features.Acousticness = 0.001;
        });
        await EventuallyAsync(async () =>
        {
            try
            {
                return (await b.Client.IngestAsync([afterRestart])).Inserted == 1;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                return false;
            }
        }, "an ingest after the database restart", b);
        foreach (var replica in new[] { a, c })
        {
            await EventuallyAsync(async () => await NearestAsync(replica, afterRestart) == afterRestart.TrackId, $"the post-restart track on replica {replica.Port}", replica);
        }

        // Trained through B: one Train at a time across the cluster, and all three serve the new version.
        using var training = b.Client.Train(TrainedServerFixture.QuickTraining);
        Assert.True(await training.ResponseStream.MoveNext(), "B's training sent no progress");
        var conflict = await Assert.ThrowsAsync<RpcException>(() => c.Client.TrainAsync(TrainedServerFixture.QuickTraining));
        Assert.Equal((StatusCode.Aborted, "TRAINING_IN_PROGRESS"), (conflict.Describe().Code, conflict.Describe().Reason));
        ModelSummary? second = null;
        while (await training.ResponseStream.MoveNext())
        {
            second = training.ResponseStream.Current.Model ?? second;
        }

        Assert.NotNull(second);
        Assert.Equal(first.ModelVersion + 1, second.ModelVersion);
        await EveryReplicaServesAsync([a, b, c], second.ModelVersion);

        // Each replica keeps the saved index of the model it serves and deletes the older one (B trained it, A and C
        // loaded it).
        foreach (var replica in new[] { a, b, c })
        {
            await EventuallyAsync(() => Task.FromResult(!Directory.Exists(IndexFolder(replica, first.ModelVersion))),
                $"removal of model {first.ModelVersion}'s saved index on replica {replica.Port}", replica);
            Assert.True(File.Exists(Path.Combine(IndexFolder(replica, second.ModelVersion), "index.faiss")),
                $"replica {replica.Port} has no saved index of the model it serves");
        }

        // C is killed and started again (with a new, empty data directory): it serves the same model and catalogue.
        await c.KillAsync();
        _replicas.Remove(c);
        await c.DisposeAsync();
        var restarted = await StartReplicaAsync();
        await EveryReplicaServesAsync([restarted], second.ModelVersion);
        foreach (var probe in new[] { _catalogue[3], _catalogue[300], afterRestart })
        {
            Assert.Equal(await RowIdsAsync(a, probe, 50), await RowIdsAsync(restarted, probe, 50));
        }

        var everything = await a.Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = 1000 });
        var everythingRestarted = await restarted.Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = 1000 });
        Assert.Equal(everything.Rows.Count, everythingRestarted.Rows.Count);
        Assert.DoesNotContain(everythingRestarted.Rows, r => r.Track.TrackId == newcomer.TrackId);
    }

    [Fact]
    public async Task A_replica_restarted_on_its_data_directory_reads_its_saved_table_and_applies_what_was_written_while_it_was_down_before_it_listens()
    {
        var a = await StartReplicaAsync();
        var b = await StartReplicaAsync();
        await a.Client.IngestAsync(_catalogue);
        var model = (await a.Client.TrainAsync(TrainedServerFixture.QuickTraining))[^1].Model;
        await EveryReplicaServesAsync([b], model.ModelVersion);
        var directory = _dataDirectories[b];
        Assert.Equal(0, await b.TerminateAsync(TimeSpan.FromSeconds(60)));
        _replicas.Remove(b);
        await b.DisposeAsync();
        Assert.True(File.Exists(Path.Combine(directory, "models", $"v{model.ModelVersion:D6}", "tracks.table")), "B saved no table at shutdown");

        // Written through A while B is down: a new track, a deleted one, a renamed one.
        var newcomer = _catalogue[5].Clone(t =>
        {
            t.TrackId = "written-while-down"; t.Name = "Written While Down"; t.Features.Tempo = 201.5; t.Features.Energy = 0.998;
        });
        var victim = _catalogue[6].TrackId;
        var renamed = _catalogue[8].Clone(t =>
        {
            t.Name = "Renamed While Down"; t.Features.Tempo = 15.5; t.Features.Acousticness = 0.002;
        });
        await a.Client.IngestAsync([newcomer, renamed]);
        await a.Client.DeleteTracksAsync(new DeleteTracksRequest { TrackIds = { victim } });

        var restarted = await StartReplicaAsync(directory);

        // Checked at once, with no waiting: the changes were applied before the replica listened.
        Assert.Contains("tracks read from their saved table", restarted.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("tracks are read from the catalogue", restarted.Output, StringComparison.Ordinal);
        Assert.Equal(newcomer.TrackId, await NearestAsync(restarted, newcomer));
        var error = await Assert.ThrowsAsync<RpcException>(() => restarted.Client.RecommendAsync(new RecommendRequest { TrackId = victim, K = 1 }));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var ofRenamed = await restarted.Client.RecommendPageAsync(new RecommendRequest { Features = renamed.Features, K = 1 });
        Assert.Equal((renamed.TrackId, "Renamed While Down"), (ofRenamed.Rows.Single().Track.TrackId, ofRenamed.Rows.Single().Track.Name));
        foreach (var probe in new[] { _catalogue[3], _catalogue[300], newcomer })
        {
            Assert.Equal(await RowIdsAsync(a, probe, 50), await RowIdsAsync(restarted, probe, 50));
        }
    }

    private async Task<ServerProcess> StartReplicaAsync(string? dataDirectory = null)
    {
        if (dataDirectory is null)
        {
            var directory = new TempDirectory();
            _directories.Add(directory);
            dataDirectory = directory.Path;
        }

        var replica = await ServerProcess.StartAsync(dataDirectory, 0,
            "MusicDna:Catalogue:Provider=PostgreSql", $"MusicDna:Catalogue:ConnectionString={_connectionString}");
        _replicas.Add(replica);
        _dataDirectories[replica] = dataDirectory;
        return replica;
    }

    // Where a replica saves the serving index of one model version (its data directory's models folder).
    private string IndexFolder(ServerProcess replica, long version) =>
        Path.Combine(_dataDirectories[replica], "models", $"v{version:D6}");

    private static async Task<string> NearestAsync(ServerProcess replica, Track track)
    {
        var page = await replica.Client.RecommendPageAsync(new RecommendRequest { Features = track.Features, K = 1 });
        return page.Rows.Single().Track.TrackId;
    }

    private static async Task<HashSet<string>> MapTrackIdsAsync(ServerProcess replica)
    {
        using var call = replica.Client.GetSonicMap(new GetSonicMapRequest());
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            if (message.PartCase == GetSonicMapResponse.PartOneofCase.Chunk)
            {
                ids.UnionWith(message.Chunk.TrackIds);
            }
        }

        return ids;
    }

    private static async Task<List<string>> RowIdsAsync(ServerProcess replica, Track seed, int k = 20) =>
        [.. (await replica.Client.RecommendPageAsync(new RecommendRequest { TrackId = seed.TrackId, K = k })).Rows.Select(r => r.Track.TrackId)];

    private async Task EveryReplicaServesAsync(IEnumerable<ServerProcess> replicas, long version)
    {
        foreach (var replica in replicas)
        {
            await EventuallyAsync(async () =>
            {
                try
                {
                    return (await replica.Client.RecommendPageAsync(new RecommendRequest { Features = _catalogue[0].Features, K = 1 })).End.ModelVersion == version;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
                {
                    return false;
                }
            }, $"model {version} on replica {replica.Port}", replica);
        }
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what, ServerProcess replica)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < Propagation, $"{what} did not happen within {Propagation.TotalSeconds} s; the replica printed:\n{replica.Output}");
            await Task.Delay(20);
        }
    }
}
