namespace MusicDna.Server.Hosting;

/// <summary>Which catalogue backend serves. Bound from "MusicDna:Catalogue"; checked at start-up.</summary>
public sealed class CatalogueOptions
{
    public const string SectionName = "MusicDna:Catalogue";

    /// <summary>The embedded SQLite file in the data directory (one machine), or a PostgreSQL database shared by replicas.</summary>
    public CatalogueProvider Provider { get; set; } = CatalogueProvider.Sqlite;

    /// <summary>The PostgreSQL connection string (Npgsql keywords: Host, Port, Database, Username, Password, …); PostgreSql only.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>How long start-up waits for a PostgreSQL database that is not up yet before it refuses to start.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>A catalogue backend.</summary>
public enum CatalogueProvider
{
    Sqlite,
    PostgreSql,
}
