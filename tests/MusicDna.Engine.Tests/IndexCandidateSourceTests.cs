using MusicDna.Catalogue;
using MusicDna.Engine.Recommend;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Tests;

/// <summary>
/// The doubling index search and its switch to the index's filtered search or a filter-first scan, over a real index of 2048 tracks with seeded,
/// spread-out vectors. 1/<see cref="IndexCandidateSource.ScanFraction"/> of them is 128: a filter that makes the depth
/// double past that switches.
/// </summary>
[Collection(TorchTests.Name)]
public sealed class IndexCandidateSourceTests(SnapshotFixture fixture) : IDisposable
{
    private const int Tracks = 2048;
    private const long SeedRow = 1;

    // Every 80th row is "rare": 25 of 2048, about 1.6 in the top 128 of any query.
    private static readonly Func<long, string> GenreOf = row => row % 80 == 0 ? "rare" : "common";

    private readonly TempDirectory _directory = new();
    private readonly ModelSnapshot _snapshot = fixture.NewSnapshot(1, Tracks, seed: 21, GenreOf);

    [Fact]
    public async Task A_permissive_filter_stays_on_the_index_and_returns_hits_in_score_order()
    {
        var (source, query) = await SourceAsync(TrackFilter.None, expected: 10);

        var taken = Take(source, 10);

        Assert.False(source.Scanning);
        var indexOrder = _snapshot.Index.Search(query, 11).Select(h => h.Id).Where(id => id != SeedRow).Take(10);
        Assert.Equal(indexOrder, taken.Select(c => c.RowId));
        Assert.Equal(taken.Select(c => c.Score).OrderDescending(), taken.Select(c => c.Score));
        Assert.Equal(ExactOrder(query, _ => true).Take(10), taken.Select(c => c.RowId));
    }

    [Fact]
    public async Task A_filter_that_pushes_the_depth_past_a_sixteenth_of_the_catalogue_goes_on_in_the_index_filtered_search()
    {
        var (source, _) = await SourceAsync(new TrackFilter { IncludeGenres = ["rare"] }, expected: 10);

        var taken = Take(source, 10);

        Assert.Equal(10, taken.Count);
        Assert.True(source.FilteredByIndex);
        Assert.False(source.Scanning);
    }

    [Fact]
    public async Task A_filter_that_pushes_the_depth_past_a_sixteenth_of_the_catalogue_with_a_min_score_switches_to_the_scan()
    {
        var (source, _) = await SourceAsync(new TrackFilter { IncludeGenres = ["rare"] }, expected: 10, minScore: -1_000);

        var taken = Take(source, 10);

        Assert.Equal(10, taken.Count);
        Assert.True(source.Scanning);
        Assert.False(source.FilteredByIndex);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task After_the_switch_every_qualifying_track_comes_once_best_first_in_the_exact_scan_order(bool scan)
    {
        var (source, query) = await SourceAsync(new TrackFilter { IncludeGenres = ["rare"] }, expected: 10, minScore: scan ? -1_000 : null);

        var all = Take(source, int.MaxValue);

        Assert.Equal(scan, source.Scanning);
        Assert.Equal(!scan, source.FilteredByIndex);
        var qualifying = ExactOrder(query, facts => facts.Genre == "rare");
        Assert.Equal(Tracks / 80, qualifying.Count);
        Assert.Equal(qualifying, all.Select(c => c.RowId));
        Assert.Equal(all.Count, all.Select(c => c.RowId).Distinct().Count());
        Assert.Equal(all.Select(c => c.Score).OrderDescending(), all.Select(c => c.Score));
        Assert.False(source.TryNext(CancellationToken.None, out _));
    }

    public void Dispose()
    {
        _snapshot.Dispose();
        _directory.Dispose();
    }

    /// <summary>A source for the seed track row 1 (never a candidate itself), as Recommend builds it.</summary>
    private async Task<(IndexCandidateSource Source, float[] Query)> SourceAsync(TrackFilter filter, int expected, double? minScore = null)
    {
        var query = new RecommendQuery { Seeds = [new RecommendSeed("", $"t{SeedRow}", null)], K = expected, Filter = filter };
        using var catalogue = TrackCatalogue.Open(_directory.File("catalogue.db"));
        var seeds = await ResolvedSeeds.ResolveAsync(query, _snapshot, catalogue, CancellationToken.None);
        Assert.Equal([SeedRow], seeds.RowIds);
        var unitQuery = seeds.AverageVector();
        var diagnostics = new FeedDiagnostics();
        var candidates = new CandidateFilter(filter, seeds, new HashSet<long>(), RecentRows.None, collapseSongs: false, _snapshot.Tracks, diagnostics);
        return (new IndexCandidateSource(_snapshot, unitQuery, candidates, expected, minScore, diagnostics), unitQuery);
    }

    private static List<Candidate> Take(CandidateSource source, int count)
    {
        var taken = new List<Candidate>();
        while (taken.Count < count && source.TryNext(CancellationToken.None, out var candidate))
        {
            taken.Add(candidate);
        }

        return taken;
    }

    /// <summary>Every row but the seed that <paramref name="qualifies"/>, by exact cosine to the query, best first.</summary>
    private List<long> ExactOrder(float[] query, Func<TrackFacts, bool> qualifies) =>
    [
        .. _snapshot.Tracks.Rows
            .Where(r => r.Key != SeedRow && qualifies(r.Value))
            .Select(r => (Row: r.Key, Score: UnitVector.Dot(query, r.Value.Vector)))
            .OrderByDescending(r => r.Score).ThenBy(r => r.Row)
            .Select(r => r.Row),
    ];
}
