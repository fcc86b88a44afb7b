using MusicDna.PostgreSql;

namespace MusicDna.Catalogue.Tests;

/// <summary>The per-replica folders of saved indexes a PostgreSQL model store names, and their removal once a newer
/// version serves.</summary>
[Collection(PostgresServerDefinition.Name)]
public sealed class PostgresIndexFolderTests(PostgresFixture postgres) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Only_index_folders_of_versions_older_than_the_served_one_are_removed()
    {
        using var database = await PostgresDatabase.OpenAsync(await postgres.Server.CreateDatabaseAsync("folders"), TimeSpan.FromSeconds(10));
        var root = _dir.File("models");
        var store = new PostgresModelStore(database, root);
        Assert.Empty(store.RemoveIndexesOlderThan(5)); // no folder yet
        foreach (var version in new long[] { 1, 2, 3, 4 })
        {
            Directory.CreateDirectory(store.IndexDirectory(version));
            await File.WriteAllTextAsync(Path.Combine(store.IndexDirectory(version), "index.json"), "{}");
        }

        var foreign = new[] { "notes", "v12x", "v1", "v-00002" }.Select(n => Path.Combine(root, n)).ToArray();
        foreach (var folder in foreign)
        {
            Directory.CreateDirectory(folder);
        }

        Assert.Equal([1L, 2L], store.RemoveIndexesOlderThan(3));

        Assert.False(Directory.Exists(store.IndexDirectory(1)));
        Assert.False(Directory.Exists(store.IndexDirectory(2)));
        Assert.True(File.Exists(Path.Combine(store.IndexDirectory(3), "index.json")), "the served version's index was removed");
        Assert.True(Directory.Exists(store.IndexDirectory(4)), "a newer version's folder (one that may be being built) was removed");
        Assert.All(foreign, folder => Assert.True(Directory.Exists(folder), $"{folder} is not the store's and was removed"));
        Assert.Empty(store.RemoveIndexesOlderThan(3));
    }
}
