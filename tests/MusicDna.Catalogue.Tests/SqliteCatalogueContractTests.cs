namespace MusicDna.Catalogue.Tests;

/// <summary>The catalogue contract on the embedded SQLite file.</summary>
public sealed class SqliteCatalogueContractTests : CatalogueContractTests, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override Task<ITrackCatalogue> OpenAsync() => Task.FromResult<ITrackCatalogue>(TrackCatalogue.Open(_dir.File("c.db")));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }

    public void Dispose() => _dir.Dispose();
}
