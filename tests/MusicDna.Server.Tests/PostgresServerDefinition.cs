namespace MusicDna.Server.Tests;

/// <summary>The tests that share this assembly's private PostgreSQL server (run one class after another, so one may restart it).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresServerDefinition : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
