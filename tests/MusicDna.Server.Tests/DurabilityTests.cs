using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Data.Sqlite;
using MusicDna.Catalogue;
using MusicDna.Client;
using MusicDna.Contracts.V1;
using MusicDna.Engine;
using MusicDna.Engine.Ingest;
using MusicDna.Model;
using MusicDna.Server.Hosting;
using Xunit.Abstractions;

namespace MusicDna.Server.Tests;

/// <summary>
/// The real server as a child process, killed with SIGKILL at a seeded moment: nothing acknowledged is lost, the
/// database stays sound, a half-trained model never serves, and a bad data directory is refused in one sentence.
/// </summary>
public sealed class DurabilityTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData(20261125)]
    [InlineData(7)]
    public async Task Every_row_acknowledged_before_a_SIGKILL_mid_ingest_is_there_after_restart(int seed)
    {
        var random = new Random(seed);
        var acknowledged = new List<Track>();
        var killAfter = random.Next(300, 2500); // the seeded moment of the kill, in ms
        var server = await ServerProcess.StartAsync(_data.Path);
        await using (server)
        {
            await server.Client.IngestAsync(SampleCatalogue.Slice(300));
            await server.Client.TrainAsync(new TrainRequest { Epochs = 2 }); // ingest now embeds and indexes too

            var ingesting = Task.Run(async () =>
            {
                for (var call = 0; call < 400; call++)
                {
                    var batch = SyntheticTracks(call, 250);
                    try
                    {
                        await server.Client.IngestAsync(batch, batchSize: 125);
                    }
                    catch (RpcException)
                    {
                        return; // the kill: this call was never acknowledged
                    }

                    lock (acknowledged)
                    {
                        acknowledged.AddRange(batch);
                    }
                }
            });

            await Task.Delay(killAfter);
            await server.KillAsync();
            await ingesting;
        }

        output.WriteLine($"seed {seed}: SIGKILL {killAfter} ms into the ingest, {acknowledged.Count} rows acknowledged before it");
        Assert.NotEmpty(acknowledged);
        await using (var restarted = await ServerProcess.StartAsync(_data.Path))
        {
            // Re-sending every acknowledged row updates each one and inserts none: all of them survived.
            var again = await restarted.Client.IngestAsync(acknowledged, batchSize: 1000);
            Assert.Equal((0L, (long)acknowledged.Count), (again.Inserted, again.Updated));

            var feed = await restarted.Client.RecommendAsync(new RecommendRequest { TrackId = acknowledged[^1].TrackId, K = 3 });
            Assert.Equal(3, feed[^1].End.Returned);
        }

        using var catalogue = TrackCatalogue.Open(Path.Combine(_data.Path, "catalogue.db"));
        Assert.Equal("ok", catalogue.CheckIntegrity());
    }

    [Fact]
    public async Task A_full_batch_whose_commit_is_under_way_when_a_later_message_is_refused_is_kept()
    {
        // A full batch starts committing in the background while the next message is read; that message breaks the
        // per-message limit, so the call fails, and the rows of the committing batch must still be kept.
        var batch = Enumerable.Range(0, IngestSession.CommitSize)
            .Select(i => SampleCatalogue.All[i % SampleCatalogue.All.Count].Clone(c => c.TrackId = $"in-flight-{i:D5}"))
            .ToList();
        await using var server = await ServerProcess.StartAsync(_data.Path);

        using var call = server.Client.BulkIngest();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.SendAsync(new[]
        {
            new BulkIngestRequest { Tracks = { batch } },
            new BulkIngestRequest { Tracks = { Enumerable.Repeat(batch[0], 10_001) } },
        }.ToAsyncEnumerable()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var again = await server.Client.IngestAsync(batch, batchSize: 1000);
        Assert.Equal((0L, (long)batch.Count), (again.Inserted, again.Updated));
    }

    [Fact]
    public async Task A_SIGKILL_during_Train_leaves_the_previous_model_serving_after_restart()
    {
        await using (var server = await ServerProcess.StartAsync(_data.Path))
        {
            await server.Client.IngestAsync(SampleCatalogue.Slice(300));
            await server.Client.TrainAsync(new TrainRequest { Epochs = 2 });

            using var training = server.Client.Train(new TrainRequest { Epochs = 1000, BatchSize = 8 });
            Assert.True(await training.ResponseStream.MoveNext(CancellationToken.None), "training is under way");
            await server.KillAsync();
        }

        await using var restarted = await ServerProcess.StartAsync(_data.Path);
        var health = await new Health.HealthClient(restarted.Channel)
            .CheckAsync(new HealthCheckRequest { Service = MusicDnaHostingExtensions.HealthServiceName });
        var feed = await restarted.Client.RecommendAsync(new RecommendRequest { TrackId = SampleCatalogue.Slice(300)[0].TrackId, K = 2 });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(1, feed[^1].End.ModelVersion);
        Assert.Equal([1L], new ModelStore(Path.Combine(_data.Path, "models")).Versions());
    }

    [Fact]
    public async Task SIGTERM_stops_the_server_cleanly_with_exit_code_0_and_loses_nothing()
    {
        var tracks = SampleCatalogue.Slice(100);
        await using (var server = await ServerProcess.StartAsync(_data.Path))
        {
            await server.Client.IngestAsync(tracks);
            Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(30)));
        }

        await using var restarted = await ServerProcess.StartAsync(_data.Path);
        var again = await restarted.Client.IngestAsync(tracks);
        Assert.Equal((0L, 100L), (again.Inserted, again.Updated));
    }

    [Fact]
    public async Task SIGTERM_lets_an_in_flight_Train_stream_finish_and_publish_before_exiting_0()
    {
        var tracks = SampleCatalogue.Slice(300);
        await using (var server = await ServerProcess.StartAsync(_data.Path))
        {
            await server.Client.IngestAsync(tracks);
            using var training = server.Client.Train(new TrainRequest { Epochs = 8, BatchSize = 16 });
            Assert.True(await training.ResponseStream.MoveNext(CancellationToken.None), "training is under way");

            var exit = server.TerminateAsync(TimeSpan.FromSeconds(60)); // graceful: new calls refused, this one goes on
            var rest = new List<TrainResponse>();
            while (await training.ResponseStream.MoveNext(CancellationToken.None))
            {
                rest.Add(training.ResponseStream.Current);
            }

            Assert.Equal(TrainResponse.EventOneofCase.Model, rest[^1].EventCase);
            Assert.Equal(1, rest[^1].Model.ModelVersion);
            Assert.Equal(0, await exit);
        }

        await using var restarted = await ServerProcess.StartAsync(_data.Path);
        var feed = await restarted.Client.RecommendAsync(new RecommendRequest { TrackId = tracks[0].TrackId, K = 2 });
        Assert.Equal(1, feed[^1].End.ModelVersion); // the model finished during shutdown was published and survives
    }

    [Fact]
    public async Task A_corrupt_catalogue_is_refused_at_start_up_with_one_sentence_and_exit_code_1()
    {
        var bytes = new byte[9000];
        new Random(3).NextBytes(bytes);
        await File.WriteAllBytesAsync(Path.Combine(_data.Path, "catalogue.db"), bytes);

        var (exitCode, output) = await ServerProcess.RunToExitAsync(_data.Path);

        Assert.Equal(1, exitCode);
        Assert.Contains("cannot start", output, StringComparison.Ordinal);
        Assert.Contains("corrupt", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public async Task A_catalogue_from_a_newer_MusicDna_is_refused_at_start_up()
    {
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "catalogue.db")};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE tracks (id INTEGER); PRAGMA user_version = 42;";
            command.ExecuteNonQuery();
        }

        var (exitCode, output) = await ServerProcess.RunToExitAsync(_data.Path);

        Assert.Equal(1, exitCode);
        Assert.Contains("schema version 42, newer than this MusicDna understands", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private static List<Track> SyntheticTracks(int call, int count) =>
        [.. SampleCatalogue.All.Take(count).Select((t, i) => t.Clone(c =>
        {
            c.TrackId = $"durable-{call:D4}-{i:D4}";
            c.Features.Tempo = 60 + ((call * count) + i) % 140;
        }))];
}
