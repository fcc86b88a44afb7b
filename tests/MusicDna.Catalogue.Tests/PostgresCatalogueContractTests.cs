using MusicDna.PostgreSql;

namespace MusicDna.Catalogue.Tests;

/// <summary>The catalogue contract on PostgreSQL: a fresh database on the collection's private server per test.</summary>
[Collection(PostgresServerDefinition.Name)]
public sealed class PostgresCatalogueContractTests(PostgresFixture postgres) : CatalogueContractTests
{
    private string? _connectionString;
    private PostgresDatabase? _database;

    protected override async Task<ITrackCatalogue> OpenAsync()
    {
        _connectionString ??= await postgres.Server.CreateDatabaseAsync("contract");
        _database?.Dispose();
        _database = await PostgresDatabase.OpenAsync(_connectionString, TimeSpan.FromSeconds(10));
        return new PostgresTrackCatalogue(_database);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _database?.Dispose();
    }
}
