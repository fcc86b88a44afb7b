using MusicDna.Core.Tracks;
using MusicDna.PostgreSql;
using Npgsql;

namespace MusicDna.Catalogue.Tests;

/// <summary>Schema version 3 on PostgreSQL: word search runs on pg_trgm indexes, answers as the table scan did, and
/// the schema still completes for a role that may not create the extension.</summary>
[Collection(PostgresServerDefinition.Name)]
public sealed class PostgresSearchIndexTests(PostgresFixture postgres)
{
    private const int CatalogueSize = 20_000;

    private static readonly string[] Vocabulary =
    [
        "moon", "river", "night", "dance", "heart", "fire", "love", "rain", "summer", "city", "dream", "light", "blue",
        "gold", "shadow", "echo", "wild", "ocean", "storm", "velvet", "neon", "paper", "silver", "garden", "highway",
    ];

    // Queries of every kind the engine sends: rare words, common words, one letter, several words, accents, LIKE's own
    // wildcard characters, words that match nothing.
    private static readonly string[][] Queries =
    [
        ["zephyrine"], ["zeph"], ["moon"], ["moon", "riv"], ["m"], ["velvet", "storm", "7"], ["Zéphyrine", "quartet"],
        ["quartet"], ["100"], ["1999"], ["neo"], ["gold", "gold"], ["50%"], ["a_b"], ["nothingmatches"], ["echo", "ocean"],
    ];

    [Fact]
    public async Task Word_search_runs_on_the_trigram_indexes_instead_of_scanning_the_tracks_table()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync("trgm");
        using var database = await PostgresDatabase.OpenAsync(connectionString, TimeSpan.FromSeconds(10));
        Assert.True(database.SearchIndexed);
        await FillAsync(new PostgresTrackCatalogue(database));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "ANALYZE tracks;");
        foreach (var query in new[] { new[] { "zephyrine" }, ["zeph", "quartet"], ["1999"] })
        {
            var plan = await PlanAsync(connection, query);
            Assert.Contains(PostgresSearchIndex.NameIndex, plan, StringComparison.Ordinal);
            Assert.Contains(PostgresSearchIndex.ArtistsIndex, plan, StringComparison.Ordinal);
            Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Word_search_on_the_indexes_returns_exactly_the_rows_and_order_of_the_table_scan()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync("trgmsame");
        using var database = await PostgresDatabase.OpenAsync(connectionString, TimeSpan.FromSeconds(10));
        var catalogue = new PostgresTrackCatalogue(database);
        await FillAsync(catalogue);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "ANALYZE tracks;");
        var indexed = new List<string[]>();
        foreach (var query in Queries)
        {
            indexed.Add(await SearchIdsAsync(connection, query));
            // The public search path gives the same rows as the query the plans are read from.
            Assert.Equal(indexed[^1], (await catalogue.SearchAsync(query, 50)).Tracks.Select(t => t.TrackId).ToArray());
        }

        // The plan the table had before version 3: no index may be used.
        await ExecuteAsync(connection, "SET enable_bitmapscan = off; SET enable_indexscan = off;");
        Assert.Contains("Seq Scan", await PlanAsync(connection, ["zephyrine"]), StringComparison.Ordinal);
        for (var i = 0; i < Queries.Length; i++)
        {
            Assert.Equal(indexed[i], await SearchIdsAsync(connection, Queries[i]));
        }

        Assert.Equal(5, indexed[0].Length);
        Assert.Equal(50, indexed[2].Length);
        Assert.Empty(indexed[14]);
    }

    [Fact]
    public async Task A_role_that_owns_its_database_but_is_no_superuser_creates_pg_trgm_and_the_indexes()
    {
        var role = $"owner_{Guid.NewGuid():N}"[..20];
        var name = $"owned_{Guid.NewGuid():N}"[..20];
        await AsSuperuserAsync("postgres", $"CREATE ROLE {role} LOGIN NOSUPERUSER;", $"CREATE DATABASE {name} OWNER {role};");

        using var database = await PostgresDatabase.OpenAsync(ConnectionAs(role, name), TimeSpan.FromSeconds(10));

        Assert.True(database.SearchIndexed);
    }

    [Fact]
    public async Task A_role_without_create_on_the_database_gets_the_schema_without_indexes_and_search_still_answers()
    {
        var role = $"limited_{Guid.NewGuid():N}"[..20];
        var name = $"notrgm_{Guid.NewGuid():N}"[..20];
        await AsSuperuserAsync("postgres", $"CREATE ROLE {role} LOGIN NOSUPERUSER;", $"CREATE DATABASE {name};");
        await AsSuperuserAsync(name, $"GRANT CREATE ON SCHEMA public TO {role};");

        using var database = await PostgresDatabase.OpenAsync(ConnectionAs(role, name), TimeSpan.FromSeconds(10));
        var catalogue = new PostgresTrackCatalogue(database);
        await catalogue.UpsertAsync([Make("a", "Zéphyrine", ["Quartet"]), Make("b", "Other", ["Someone"])]);

        Assert.False(database.SearchIndexed);
        Assert.Equal(["a"], (await catalogue.SearchAsync(["zephyr"], 10)).Tracks.Select(t => t.TrackId));
        await using var connection = new NpgsqlConnection(ConnectionAs(role, name));
        await connection.OpenAsync();
        await using var versions = new NpgsqlCommand("SELECT max(version) FROM schema_migrations;", connection);
        Assert.Equal(4, (int)(await versions.ExecuteScalarAsync())!);
    }

    private static Track Make(string id, string name, string[] artists, int popularity = 50) =>
        new(id, name, artists, "Album", "pop", popularity, false, 200_000, [0.5, 0.6, 5, -7.5, 1, 0.05, 0.2, 0.0, 0.1, 0.7, 120, 4]);

    // Titles of two to four words from the vocabulary and a number; a handful of rare words.
    private static async Task FillAsync(PostgresTrackCatalogue catalogue)
    {
        var random = new Random(14);
        var tracks = new List<Track>(CatalogueSize);
        for (var i = 0; i < CatalogueSize; i++)
        {
            var words = Enumerable.Range(0, random.Next(2, 5)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]);
            var name = string.Join(' ', words) + $" {i}";
            var artists = new[] { $"{Vocabulary[random.Next(Vocabulary.Length)]} {Vocabulary[random.Next(Vocabulary.Length)]}s" };
            if (i % 4_000 == 7)
            {
                name = "Zéphyrine " + name;
                artists = ["The Zephyr Quartet"];
            }

            tracks.Add(Make($"t{i:D6}", name, artists, popularity: random.Next(0, 100)));
        }

        foreach (var batch in tracks.Chunk(5_000))
        {
            await catalogue.UpsertAsync(batch);
        }
    }

    private static async Task<string[]> SearchIdsAsync(NpgsqlConnection connection, string[] words)
    {
        await using var command = PostgresTrackCatalogue.SearchCommand(connection, words, 50);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        var trackId = reader.GetOrdinal("track_id");
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(trackId));
        }

        return [.. ids];
    }

    private static async Task<string> PlanAsync(NpgsqlConnection connection, string[] words)
    {
        await using var command = PostgresTrackCatalogue.SearchCommand(connection, words, 50);
        command.CommandText = "EXPLAIN (FORMAT JSON) " + command.CommandText;
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    // One statement at a time: CREATE DATABASE refuses to run inside a transaction block.
    private async Task AsSuperuserAsync(string database, params string[] statements)
    {
        await using var connection = new NpgsqlConnection(postgres.Server.ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync();
        foreach (var statement in statements)
        {
            await ExecuteAsync(connection, statement);
        }
    }

    private string ConnectionAs(string role, string database) =>
        $"Host=127.0.0.1;Port={postgres.Server.Port};Username={role};Database={database};Pooling=true;Timeout=5";
}
