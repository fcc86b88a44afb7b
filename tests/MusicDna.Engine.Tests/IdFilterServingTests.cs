using MusicDna.Engine.Recommend;
using MusicDna.Engine.Snapshots;
using MusicDna.Index;

namespace MusicDna.Engine.Tests;

/// <summary>
/// Strict filters handed to the approximate index's filtered search as an <see cref="IdFilter"/>: k rows whenever k
/// qualify, the counts of a full pass, and a filter that follows the catalogue's changes.
/// </summary>
[Collection(TorchTests.Name)]
public sealed class IdFilterServingTests(SnapshotFixture fixture) : IDisposable
{
    private const int CatalogueSize = 3_000;
    private const int Rare = 30;

    private readonly TempDirectory _data = new("musicdna-idfilter-");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_strict_genre_filter_goes_to_the_inverted_file_as_an_id_filter_and_returns_k_with_full_pass_counts()
    {
        using var engine = await ServedAsync();

        var (rows, end) = await engine.RecommendAsync("t1", 10, new TrackFilter { IncludeGenres = ["RARE"] });

        using var lease = engine.Snapshots.Acquire();
        Assert.Equal(VectorIndexKind.InvertedFile, lease.Snapshot.Index.Kind);
        Assert.Equal(1, lease.Snapshot.AllowedRows.Count);
        Assert.Equal(10, rows.Count);
        Assert.All(rows, r => Assert.Equal("rare", r.Track.Genre));
        Assert.Equal(rows.OrderByDescending(r => r.Score).Select(r => r.Track.TrackId), rows.Select(r => r.Track.TrackId));
        Assert.True(ExactRareTop(lease.Snapshot, "t1", 10).Intersect(rows.Select(r => r.Track.TrackId)).Count() >= 9);

        // As a scan of the whole catalogue counts them: every other genre's track under genre, the seed under seed.
        var removed = end.Removals.ToDictionary(r => r.Stage, r => r.Removed);
        Assert.Equal(CatalogueSize - 1, removed["genre"]);
        Assert.Equal(1, removed["seed"]);
        Assert.Equal(end.CandidatesExamined, end.CandidatesPassed + end.Removals.Sum(r => r.Removed));
    }

    [Fact]
    public async Task A_strict_filter_that_no_track_passes_ends_the_feed_empty_with_every_track_counted()
    {
        using var engine = await ServedAsync();

        var (rows, end) = await engine.RecommendAsync("t1", 10, new TrackFilter { IncludeGenres = ["no-such-genre"] });

        Assert.Empty(rows);
        Assert.True(end.Exhausted);
        Assert.Equal("genre", end.LimitedBy);
        var removed = end.Removals.ToDictionary(r => r.Stage, r => r.Removed);
        Assert.Equal(CatalogueSize + Rare - 1, removed["genre"]);
        Assert.Equal(end.CandidatesExamined, end.Removals.Sum(r => r.Removed));
    }

    [Fact]
    public async Task Pages_of_a_filtered_feed_return_every_allowed_track_once_and_then_end()
    {
        using var engine = await ServedAsync();
        var query = new RecommendQuery
        {
            Seeds = [new RecommendSeed("", "t1", null)], K = 7, Filter = new TrackFilter { IncludeGenres = ["rare"], MinPopularity = 5 },
        };

        var seen = new List<string>();
        var token = "";
        var exhausted = false;
        for (var page = 0; page < 10 && !exhausted; page++)
        {
            var (rows, end) = await engine.RecommendAsync(query with { PageToken = token });
            seen.AddRange(rows.Select(r => r.Track.TrackId));
            (token, exhausted) = (end.NextPageToken, end.Exhausted);
        }

        // rare1..rare30 have popularity 1..30: 26 of them are at least 5.
        Assert.True(exhausted);
        Assert.Equal(Enumerable.Range(5, Rare - 4).Select(i => $"rare{i}").Order(), seen.Order());
    }

    [Fact]
    public async Task A_track_ingested_after_a_filter_was_built_is_found_by_the_next_filtered_call()
    {
        using var engine = await ServedAsync();
        var filter = new TrackFilter { IncludeGenres = ["rare"] };
        await engine.RecommendAsync("t5", 5, filter);

        var twin = ServedEngine.GeneratedTracks(5)[4] with { TrackId = "rare-twin-of-t5", Name = "Twin", Genre = "rare" };
        await engine.IngestAsync([twin]);
        var (rows, _) = await engine.RecommendAsync("t5", 5, filter);

        Assert.Equal("rare-twin-of-t5", rows[0].Track.TrackId);
        Assert.All(rows, r => Assert.Equal("rare", r.Track.Genre));
    }

    [Fact]
    public async Task Excluded_genres_attribute_limits_and_excluded_ids_together_still_return_k_that_qualify()
    {
        using var engine = await ServedAsync();
        var excludedGenres = Enumerable.Range(0, 19).Select(g => $"g{g}").ToList();
        var filter = new TrackFilter
        {
            ExcludeGenres = [.. excludedGenres, "rare"], MaxPopularity = 60, ExcludeTrackIds = ["t19", "t39"],
        };

        var (rows, end) = await engine.RecommendAsync("t2", 40, filter);

        // g19 holds t19, t39, ..., t2999 (150 tracks), popularity i % 101; at most 60 leaves well over 40.
        Assert.Equal(40, rows.Count);
        Assert.False(end.Exhausted);
        Assert.All(rows, r =>
        {
            Assert.Equal("g19", r.Track.Genre);
            Assert.True(r.Track.Popularity <= 60);
            Assert.DoesNotContain(r.Track.TrackId, filter.ExcludeTrackIds);
        });
        Assert.Equal(end.CandidatesExamined, end.CandidatesPassed + end.Removals.Sum(r => r.Removed));
    }

    private async Task<ServedEngine> ServedAsync()
    {
        var engine = new ServedEngine(new EngineOptions { DataDirectory = _data.Path, ApproximateIndexFrom = 1_000 });
        await engine.IngestAsync(ServedEngine.GeneratedTracks(CatalogueSize));
        await engine.IngestAsync([.. ServedEngine.GeneratedTracks(Rare, prefix: "rare", genres: 1).Select(t => t with { Genre = "rare" })]);
        await engine.PublishAsync(fixture);
        return engine;
    }

    private static List<string> ExactRareTop(ModelSnapshot snapshot, string seedId, int k)
    {
        Assert.True(snapshot.Tracks.TryFind(seedId, out _, out var seed));
        var seedVector = seed.Vector.ToArray();
        return snapshot.Tracks.Rows
            .Where(row => row.Value.Genre == "rare")
            .OrderByDescending(row => UnitVector.Dot(seedVector, row.Value.Vector))
            .Take(k)
            .Select(row => row.Value.TrackId)
            .ToList();
    }
}
