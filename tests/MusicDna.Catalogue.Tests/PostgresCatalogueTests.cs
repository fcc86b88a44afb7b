using MusicDna.Core.Errors;
using MusicDna.Core.Tracks;
using MusicDna.PostgreSql;
using Npgsql;

namespace MusicDna.Catalogue.Tests;

/// <summary>What only the shared PostgreSQL catalogue has: migrations under a lock, the change feed, the training lock, outages.</summary>
[Collection(PostgresServerDefinition.Name)]
public sealed class PostgresCatalogueTests(PostgresFixture postgres)
{
    private static Track MakeTrack(string id, string genre = "pop") =>
        new(id, "Song", ["Artist"], "Album", genre, 50, false, 200_000, [0.5, 0.6, 5, -7.5, 1, 0.05, 0.2, 0.0, 0.1, 0.7, 120, 4]);

    [Fact]
    public async Task Replicas_opening_an_empty_database_at_the_same_moment_migrate_it_exactly_once()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync("migrate");

        var databases = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => PostgresDatabase.OpenAsync(connectionString, TimeSpan.FromSeconds(10)))));
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT array_agg(version ORDER BY version) FROM schema_migrations;", connection);
            var versions = (int[])(await command.ExecuteScalarAsync())!;
            Assert.Equal(new[] { 1, 2, 3, 4 }, versions);
            await using var identities = new NpgsqlCommand("SELECT count(*) FROM catalogue_identity;", connection);
            Assert.Equal(1L, (long)(await identities.ExecuteScalarAsync())!);
            Assert.Equal(0, await new PostgresTrackCatalogue(databases[3]).CountAsync());
        }
        finally
        {
            foreach (var database in databases)
            {
                database.Dispose();
            }
        }
    }

    [Fact]
    public async Task Migrating_a_version_1_database_gives_its_stored_tracks_song_keys_and_search_words_computed_in_CSharp()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync("v1");
        var stored = new Track("old", "Ancient Melody - Live", ["Première Voix"], "Album", "pop", 50, false, 200_000,
            [0.5, 0.6, 5, -7.5, 1, 0.05, 0.2, 0.0, 0.1, 0.7, 120, 4]);
        using (var database = await PostgresDatabase.OpenAsync(connectionString, TimeSpan.FromSeconds(10)))
        {
            await new PostgresTrackCatalogue(database).UpsertAsync([stored]);
        }

        await BackToVersion1Async(connectionString);

        using var migrated = await PostgresDatabase.OpenAsync(connectionString, TimeSpan.FromSeconds(10));
        Assert.True(migrated.SearchIndexed);
        var catalogue = new PostgresTrackCatalogue(migrated);
        Assert.Equal(SongKey.Of(stored), (await catalogue.FindAsync("old"))!.SongId);
        Assert.Equal(["old"], (await catalogue.SearchAsync(["premiere", "melo"], 10)).Tracks.Select(t => t.TrackId));
        Assert.Empty((await catalogue.LoadMapPositionsAsync(1)).RowIds);
    }

    [Fact]
    public async Task Migrating_a_version_1_database_larger_than_one_fill_batch_fills_every_stored_track()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync("v1-batches");
        var count = (2 * PostgresSchema.FillBatchRows) + 7;
        var stored = Enumerable.Range(0, count)
            .Select(i => new Track($"t{i}", $"Title {i} - Remastered", [$"Artist {i % 97}"], "Album", "pop", 50, false, 200_000,
                [0.5, 0.6, 5, -7.5, 1, 0.05, 0.2, 0.0, 0.1, 0.7, 120, 4]))
            .ToList();
        using (var database = await PostgresDatabase.OpenAsync(connectionString, TimeSpan.FromSeconds(10)))
        {
            await new PostgresTrackCatalogue(database).UpsertAsync(stored);
        }

        await BackToVersion1Async(connectionString);

        using var migrated = await PostgresDatabase.OpenAsync(connectionString, TimeSpan.FromSeconds(10));
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var unfilled = new NpgsqlCommand("SELECT count(*) FROM tracks WHERE song_id = '' OR search_name = '';", connection);
            Assert.Equal(0L, (long)(await unfilled.ExecuteScalarAsync())!);
        }

        var catalogue = new PostgresTrackCatalogue(migrated);
        foreach (var index in new[] { 0, PostgresSchema.FillBatchRows - 1, PostgresSchema.FillBatchRows, count - 1 })
        {
            Assert.Equal(SongKey.Of(stored[index]), (await catalogue.FindAsync($"t{index}"))!.SongId);
        }
    }

    [Fact]
    public async Task A_replica_waiting_for_another_replicas_migration_waits_past_its_connection_strings_command_timeout()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync("migrate-wait");
        var impatient = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 1 }.ConnectionString;
        await using var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({AdvisoryLocks.Class}, {AdvisoryLocks.Migration});", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        var opening = Task.Run(() => PostgresDatabase.OpenAsync(impatient, TimeSpan.FromSeconds(1)));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(opening.IsCompleted);
        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({AdvisoryLocks.Class}, {AdvisoryLocks.Migration});", holder))
        {
            await release.ExecuteNonQueryAsync();
        }

        using var database = await opening.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, await new PostgresTrackCatalogue(database).CountAsync());
    }

    [Fact]
    public async Task A_database_with_a_newer_schema_is_refused_with_a_sentence_naming_the_setting()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync("newer");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now()); " +
                "INSERT INTO schema_migrations (version) VALUES (99);", connection);
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<CatalogueUnavailableException>(() => PostgresDatabase.OpenAsync(connectionString, TimeSpan.FromSeconds(5)));

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("MusicDna:Catalogue:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_nobody_listens_for_is_refused_at_start_with_a_sentence_naming_the_setting()
    {
        var nowhere = $"Host=127.0.0.1;Port={LoopbackPort.Free()};Username=postgres;Database=x;Timeout=2";

        var error = await Assert.ThrowsAsync<CatalogueUnavailableException>(() => PostgresDatabase.OpenAsync(nowhere, TimeSpan.FromSeconds(1)));

        Assert.Contains("cannot be reached", error.Message, StringComparison.Ordinal);
        Assert.Contains("MusicDna:Catalogue:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_change_feed_gives_every_change_after_a_position_with_each_track_as_it_is_now()
    {
        using var database = await PostgresDatabase.OpenAsync(await postgres.Server.CreateDatabaseAsync("feed"), TimeSpan.FromSeconds(10));
        var catalogue = new PostgresTrackCatalogue(database);
        var feed = new PostgresChangeFeed(database, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresChangeFeed>.Instance);
        Assert.Equal(0, await feed.PositionAsync());

        var ids = (await catalogue.UpsertAsync([MakeTrack("a"), MakeTrack("b")], new VectorBatch(4, new float[] { 1, 0, 0, 1 }, 2))).RowIds;
        var afterInsert = await feed.PositionAsync();
        await catalogue.UpsertAsync([MakeTrack("b", genre: "rock")]);
        await catalogue.DeleteAsync(["a"], allowMissing: false);
        var end = await feed.PositionAsync();

        var all = await feed.ReadAsync(0, modelVersion: 4, maxTracks: 1000);
        Assert.Equal((end, false, 0L), (all.Position, all.More, all.NewestModelVersion));
        var b = Assert.Single(all.Upserted);
        Assert.Equal(("b", "rock"), (b.Entry.Track.TrackId, b.Entry.Track.Genre));
        Assert.Equal(new[] { 0f, 1f }, b.Vector);
        Assert.Equal([ids[0]], all.DeletedRowIds);

        var later = await feed.ReadAsync(afterInsert, modelVersion: 5, maxTracks: 1000);
        Assert.Null(Assert.Single(later.Upserted).Vector);
        Assert.Equal([ids[0]], later.DeletedRowIds);

        var none = await feed.ReadAsync(end, 4, 1000);
        Assert.Equal((end, 0, 0), (none.Position, none.Upserted.Count, none.DeletedRowIds.Count));
        await feed.DisposeAsync();
    }

    [Fact]
    public async Task The_change_feed_reads_a_long_backlog_in_whole_changes_of_about_the_size_asked()
    {
        using var database = await PostgresDatabase.OpenAsync(await postgres.Server.CreateDatabaseAsync("backlog"), TimeSpan.FromSeconds(10));
        var catalogue = new PostgresTrackCatalogue(database);
        await using var feed = new PostgresChangeFeed(database, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresChangeFeed>.Instance);
        for (var batch = 0; batch < 3; batch++)
        {
            await catalogue.UpsertAsync([.. Enumerable.Range(0, 10).Select(i => MakeTrack($"t{batch}-{i}"))]);
        }

        var position = 0L;
        var reads = new List<int>();
        CatalogueChanges changes;
        do
        {
            changes = await feed.ReadAsync(position, 0, maxTracks: 15);
            reads.Add(changes.Upserted.Count);
            position = changes.Position;
        }
        while (changes.More);

        Assert.Equal([10, 10, 10], reads);
        Assert.Equal(await feed.PositionAsync(), position);
    }

    [Fact]
    public async Task A_reader_waiting_on_the_feed_wakes_when_another_replica_commits()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync("notify");
        using var reader = await PostgresDatabase.OpenAsync(connectionString, TimeSpan.FromSeconds(10));
        using var writer = await PostgresDatabase.OpenAsync(connectionString, TimeSpan.FromSeconds(10));
        await using var feed = new PostgresChangeFeed(reader, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresChangeFeed>.Instance);
        var position = await feed.PositionAsync();
        await feed.WaitAsync(position, TimeSpan.FromMilliseconds(200)); // starts the listener

        var waiting = feed.WaitAsync(position, TimeSpan.FromSeconds(30));
        await new PostgresTrackCatalogue(writer).UpsertAsync([MakeTrack("new")]);

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)), "the wait ended without a notification");
        Assert.Equal("new", Assert.Single((await feed.ReadAsync(position, 0, 100)).Upserted).Entry.Track.TrackId);
    }

    [Fact]
    public async Task Only_one_replica_holds_the_training_lock_until_it_lets_go()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync("train");
        using var first = await PostgresDatabase.OpenAsync(connectionString, TimeSpan.FromSeconds(10));
        using var second = await PostgresDatabase.OpenAsync(connectionString, TimeSpan.FromSeconds(10));

        var held = await new PostgresTrainingLock(first).TryAcquireAsync();
        Assert.NotNull(held);
        Assert.Null(await new PostgresTrainingLock(second).TryAcquireAsync());

        await held.DisposeAsync();
        var next = await new PostgresTrainingLock(second).TryAcquireAsync();
        Assert.NotNull(next);
        await next.DisposeAsync();
    }

    [Fact]
    public async Task While_the_database_is_down_calls_fail_with_unavailable_and_work_again_once_it_is_back()
    {
        using var database = await PostgresDatabase.OpenAsync(await postgres.Server.CreateDatabaseAsync("outage"), TimeSpan.FromSeconds(10));
        var catalogue = new PostgresTrackCatalogue(database);
        await catalogue.UpsertAsync([MakeTrack("before")]);

        await postgres.Server.StopServerAsync();
        try
        {
            var write = await Assert.ThrowsAsync<UnavailableException>(() => catalogue.UpsertAsync([MakeTrack("during")]));
            var read = await Assert.ThrowsAsync<UnavailableException>(() => catalogue.FindAsync("before"));
            Assert.Equal(("CATALOGUE_UNAVAILABLE", "CATALOGUE_UNAVAILABLE"), (write.Reason, read.Reason));
            Assert.Contains("cannot be reached", write.Message, StringComparison.Ordinal);
        }
        finally
        {
            await postgres.Server.StartServerAsync();
        }

        await catalogue.UpsertAsync([MakeTrack("after")]);
        Assert.Equal(["before", "after"], (await catalogue.ReadAllAsync().ToListAsync()).Select(e => e.Track.TrackId));
    }

    // Back to what version 1 had: no song ids, no search columns (their version 3 indexes go with them), no map positions.
    private static async Task BackToVersion1Async(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "ALTER TABLE tracks DROP COLUMN song_id, DROP COLUMN search_name, DROP COLUMN search_artists; " +
            "DROP TABLE map_positions; DROP TABLE catalogue_identity; DELETE FROM schema_migrations WHERE version >= 2;", connection);
        await command.ExecuteNonQueryAsync();
    }
}
