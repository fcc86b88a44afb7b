using BenchmarkDotNet.Attributes;
using MusicDna.Catalogue;
using MusicDna.Core.Tracks;

namespace MusicDna.Benchmarks;

/// <summary>
/// The metadata read each Recommend page makes: the chosen rows fetched from SQLite by row id (GetManyAsync, one
/// connection from the pool and one query). A 20,000-track catalogue in a temporary file: the cost is per query,
/// and a primary-key lookup barely grows with the table.
/// </summary>
[MemoryDiagnoser]
public class CatalogueReadBenchmarks : IDisposable
{
    private string _directory = null!;
    private TrackCatalogue _catalogue = null!;
    private long[] _ids = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("musicdna-bdn").FullName;
        _catalogue = TrackCatalogue.Open(Path.Combine(_directory, "catalogue.db"));
        var random = new Random(42);
        var tracks = Enumerable.Range(0, 20_000).Select(i => SyntheticTracks.Track(random, i)).ToList();
        var rowIds = new List<long>();
        foreach (var chunk in tracks.Chunk(5000))
        {
            rowIds.AddRange(_catalogue.UpsertAsync(chunk).GetAwaiter().GetResult().RowIds);
        }

        _ids = [.. Enumerable.Range(0, 10).Select(i => rowIds[i * 1999])];
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _catalogue.Dispose();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public async Task<int> GetTenTracks() => (await _catalogue.GetManyAsync(_ids)).Count;

    [Benchmark]
    public async Task<Track?> FindOneSeed() => (await _catalogue.FindAsync("track00012345"))?.Track;
}
