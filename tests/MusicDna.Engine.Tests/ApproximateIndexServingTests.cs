using MusicDna.Engine.Recommend;
using MusicDna.Engine.Snapshots;
using MusicDna.Index;

namespace MusicDna.Engine.Tests;

/// <summary>
/// The engine served by the approximate index: small generated catalogues with the threshold set low, through the
/// real publisher, recommender, SQLite catalogue and model store.
/// </summary>
[Collection(TorchTests.Name)]
public sealed class ApproximateIndexServingTests(SnapshotFixture fixture) : IDisposable
{
    private const int Threshold = 1_000;
    private const int CatalogueSize = 3_000;

    private readonly TempDirectory _data = new("musicdna-approximate-");

    private EngineOptions Options(long threshold = Threshold) => new() { DataDirectory = _data.Path, ApproximateIndexFrom = threshold };

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_catalogue_above_the_threshold_is_served_by_the_inverted_file_and_its_feeds_match_exact_search()
    {
        using var engine = new ServedEngine(Options());
        await engine.IngestAsync(ServedEngine.GeneratedTracks(CatalogueSize));
        await engine.PublishAsync(fixture);

        using var lease = engine.Snapshots.Acquire();
        Assert.Equal(VectorIndexKind.InvertedFile, lease.Snapshot.Index.Kind);
        var overlap = 0;
        var seeds = Enumerable.Range(1, 40).Select(i => i * 73).ToArray();
        foreach (var seed in seeds)
        {
            var (rows, end) = await engine.RecommendAsync($"t{seed}", 10);
            Assert.Equal(10, rows.Count);
            Assert.Equal(10, end.Returned);
            overlap += rows.Select(r => r.Track.TrackId).Intersect(ExactTop(lease.Snapshot, $"t{seed}", 10)).Count();
        }

        // Recall@10 against an exact scan of the same vectors.
        Assert.True(overlap >= 0.95 * 10 * seeds.Length, $"{overlap} of {10 * seeds.Length} exact neighbours found");
    }

    [Fact]
    public async Task The_same_catalogue_below_the_threshold_is_served_by_exact_search()
    {
        using var engine = new ServedEngine(Options(threshold: CatalogueSize + 1));
        await engine.IngestAsync(ServedEngine.GeneratedTracks(CatalogueSize));
        await engine.PublishAsync(fixture);

        using var lease = engine.Snapshots.Acquire();
        Assert.Equal(VectorIndexKind.Exact, lease.Snapshot.Index.Kind);
        var (rows, _) = await engine.RecommendAsync("t5", 10);
        Assert.Equal(ExactTop(lease.Snapshot, "t5", 10), rows.Select(r => r.Track.TrackId));
    }

    [Fact]
    public async Task A_track_ingested_under_the_inverted_file_is_recommended_at_once()
    {
        using var engine = new ServedEngine(Options());
        var tracks = ServedEngine.GeneratedTracks(CatalogueSize);
        await engine.IngestAsync(tracks);
        await engine.PublishAsync(fixture);

        // Same features as t5 (another song: its own title), so the same vector: it must be t5's nearest neighbour.
        await engine.IngestAsync([tracks[4] with { TrackId = "twin-of-t5", Name = "Twin of t5" }]);

        var (rows, _) = await engine.RecommendAsync("t5", 1);
        Assert.Equal("twin-of-t5", Assert.Single(rows).Track.TrackId);
        // The twin is embedded alone and t5 in a batch at publication: libtorch's kernels may round the two vectors
        // apart by more than a cosine's rounding (its non-vectorised kernels read 0.99973), so 1 to a thousandth.
        Assert.Equal(1f, rows[0].Score, 1e-3f);
    }

    [Fact]
    public async Task A_removed_track_is_never_returned_by_the_inverted_file()
    {
        using var engine = new ServedEngine(Options());
        await engine.IngestAsync(ServedEngine.GeneratedTracks(CatalogueSize));
        await engine.PublishAsync(fixture);
        var (before, _) = await engine.RecommendAsync("t7", 20);
        var removed = before.Take(10).Select(r => r.Track.TrackId).ToHashSet();
        using (var lease = engine.Snapshots.Acquire())
        {
            var rowIds = removed.Select(id => lease.Snapshot.Tracks.TryFind(id, out var row, out _) ? row : throw new InvalidOperationException(id)).ToList();
            lease.Snapshot.Remove(rowIds);
            Assert.Equal(VectorIndexKind.InvertedFile, lease.Snapshot.Index.Kind);
        }

        // A deep page over the whole neighbourhood, and the next pages of the feed: none of the removed tracks.
        var (after, _) = await engine.RecommendAsync("t7", 500);
        Assert.Equal(500, after.Count);
        Assert.DoesNotContain(after, r => removed.Contains(r.Track.TrackId));
        Assert.Contains(before.Skip(10), r => r.Track.TrackId == after[0].Track.TrackId);
        var query = new RecommendQuery { Seeds = [new RecommendSeed("", "t7", null)], K = 1_000 };
        var (token, served) = ("", 0);
        for (var page = 0; page < 3; page++)
        {
            var (rows, end) = await engine.RecommendAsync(query with { PageToken = token });
            Assert.DoesNotContain(rows, r => removed.Contains(r.Track.TrackId));
            (token, served) = (end.NextPageToken, served + rows.Count);
        }

        Assert.Equal(CatalogueSize - 1 - removed.Count, served); // the whole catalogue, less the seed and the removed
    }

    [Theory]
    [InlineData(10, 10, false)]
    [InlineData(12, 12, true)]
    [InlineData(20, 12, true)]
    public async Task A_filtered_feed_returns_k_tracks_whenever_k_qualify(int k, int expected, bool exhausted)
    {
        using var engine = new ServedEngine(Options());
        await engine.IngestAsync(ServedEngine.GeneratedTracks(CatalogueSize));
        await engine.IngestAsync(ServedEngine.GeneratedTracks(12, prefix: "rare", genres: 1).Select(t => t with { Genre = "rare" }).ToList());
        await engine.PublishAsync(fixture);

        var (rows, end) = await engine.RecommendAsync("t1", k, new TrackFilter { IncludeGenres = ["rare"] });

        Assert.Equal(expected, rows.Count);
        Assert.All(rows, r => Assert.Equal("rare", r.Track.Genre));
        Assert.Equal(exhausted, end.Exhausted);
        Assert.Equal(rows.OrderByDescending(r => r.Score).Select(r => r.Track.TrackId), rows.Select(r => r.Track.TrackId));
    }

    [Fact]
    public async Task A_narrow_popularity_filter_returns_k_from_the_inverted_file()
    {
        using var engine = new ServedEngine(Options());
        await engine.IngestAsync(ServedEngine.GeneratedTracks(CatalogueSize));
        await engine.PublishAsync(fixture);

        // Popularity is i % 101: 29 or 30 tracks have popularity 50.
        var (rows, _) = await engine.RecommendAsync("t1", 25, new TrackFilter { MinPopularity = 50, MaxPopularity = 50 });

        Assert.Equal(25, rows.Count);
        Assert.All(rows, r => Assert.Equal(50, r.Track.Popularity));
    }

    [Fact]
    public async Task A_new_model_swaps_in_with_its_own_index_saved_beside_it()
    {
        using var engine = new ServedEngine(Options());
        await engine.IngestAsync(ServedEngine.GeneratedTracks(CatalogueSize));
        Assert.Equal(1, await engine.PublishAsync(fixture));

        Assert.Equal(2, await engine.PublishAsync(fixture));

        var (rows, end) = await engine.RecommendAsync("t11", 10);
        Assert.Equal(2, end.ModelVersion);
        Assert.Equal(10, rows.Count);
        using var lease = engine.Snapshots.Acquire();
        Assert.Equal(VectorIndexKind.InvertedFile, lease.Snapshot.Index.Kind);
        Assert.Equal(CatalogueSize, lease.Snapshot.TrackCount);
        Assert.Equal(2, engine.Counters.IndexesBuilt);
        foreach (var version in new long[] { 1, 2 })
        {
            Assert.True(File.Exists(Path.Combine(engine.Store.VersionDirectory(version), SnapshotIndexFile.IndexFileName)));
            Assert.True(File.Exists(Path.Combine(engine.Store.VersionDirectory(version), SnapshotIndexFile.ManifestFileName)));
        }
    }

    [Fact]
    public async Task A_restart_loads_the_saved_index_instead_of_rebuilding_it_and_serves_the_same_feeds()
    {
        var engine = new ServedEngine(Options());
        try
        {
            await engine.IngestAsync(ServedEngine.GeneratedTracks(CatalogueSize));
            await engine.PublishAsync(fixture);
            var (before, _) = await engine.RecommendAsync("t3", 50);

            engine = engine.Restart();
            Assert.Equal(1, await engine.Publisher.LoadLatestAsync(CancellationToken.None));

            Assert.Equal(1, engine.Counters.IndexesLoaded);
            Assert.Equal(0, engine.Counters.IndexesBuilt);
            using (var lease = engine.Snapshots.Acquire())
            {
                Assert.Equal(VectorIndexKind.InvertedFile, lease.Snapshot.Index.Kind);
                Assert.Equal(CatalogueSize, lease.Snapshot.TrackCount);
            }

            var (after, _) = await engine.RecommendAsync("t3", 50);
            Assert.Equal(before.Select(r => (r.Track.TrackId, r.Score)), after.Select(r => (r.Track.TrackId, r.Score)));
        }
        finally
        {
            engine.Dispose();
        }
    }

    [Fact]
    public async Task A_restart_applies_tracks_ingested_after_the_index_was_saved()
    {
        var engine = new ServedEngine(Options());
        try
        {
            var tracks = ServedEngine.GeneratedTracks(CatalogueSize);
            await engine.IngestAsync(tracks);
            await engine.PublishAsync(fixture);
            await engine.IngestAsync([tracks[8] with { TrackId = "twin-of-t9", Name = "Twin of t9" }]);
            await engine.IngestAsync([tracks[20] with { Features = tracks[8].Features }]); // t21 moves next to t9

            engine = engine.Restart();
            await engine.Publisher.LoadLatestAsync(CancellationToken.None);

            Assert.Equal((1, 0), (engine.Counters.IndexesLoaded, engine.Counters.IndexesBuilt));
            var (rows, _) = await engine.RecommendAsync("t9", 2);
            Assert.Equal(["t21", "twin-of-t9"], rows.Select(r => r.Track.TrackId).Order());
        }
        finally
        {
            engine.Dispose();
        }
    }

    public static TheoryData<string> Damage() => ["flipped byte", "truncated", "not an index, with a matching checksum", "no manifest", "other version", "index of another catalogue size"];

    [Theory]
    [MemberData(nameof(Damage))]
    public async Task A_damaged_or_stale_saved_index_is_rebuilt_never_served(string damage)
    {
        var engine = new ServedEngine(Options());
        try
        {
            await engine.IngestAsync(ServedEngine.GeneratedTracks(CatalogueSize));
            await engine.PublishAsync(fixture);
            var (before, _) = await engine.RecommendAsync("t3", 20);
            var directory = engine.Store.VersionDirectory(1);
            var indexPath = Path.Combine(directory, SnapshotIndexFile.IndexFileName);
            var manifestPath = Path.Combine(directory, SnapshotIndexFile.ManifestFileName);
            engine.Dispose();
            switch (damage)
            {
                case "flipped byte":
                    var bytes = File.ReadAllBytes(indexPath);
                    bytes[bytes.Length / 2] ^= 0x40;
                    File.WriteAllBytes(indexPath, bytes);
                    break;
                case "truncated":
                    using (var stream = new FileStream(indexPath, FileMode.Open))
                    {
                        stream.SetLength(stream.Length / 3);
                    }

                    break;
                case "not an index, with a matching checksum":
                    File.WriteAllBytes(indexPath, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);
                    var sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(indexPath)));
                    var json = File.ReadAllText(manifestPath);
                    var at = json.IndexOf("\"Sha256\":\"", StringComparison.Ordinal) + 10;
                    File.WriteAllText(manifestPath, json[..at] + sha + json[(at + 64)..]);
                    break;
                case "no manifest":
                    File.Delete(manifestPath);
                    break;
                case "other version":
                    File.WriteAllText(manifestPath, File.ReadAllText(manifestPath).Replace("\"ModelVersion\":1", "\"ModelVersion\":7", StringComparison.Ordinal));
                    break;
                case "index of another catalogue size":
                    // Below the threshold now: the saved inverted file is the wrong kind.
                    engine = new ServedEngine(Options(threshold: CatalogueSize + 1));
                    break;
            }

            if (damage != "index of another catalogue size")
            {
                engine = new ServedEngine(Options());
            }

            await engine.Publisher.LoadLatestAsync(CancellationToken.None);

            Assert.Equal((0, 1), (engine.Counters.IndexesLoaded, engine.Counters.IndexesBuilt));
            var (after, _) = await engine.RecommendAsync("t3", 20);
            Assert.Equal(20, after.Count);
            if (damage != "index of another catalogue size")
            {
                Assert.Equal(before.Select(r => r.Track.TrackId), after.Select(r => r.Track.TrackId));
            }

            // Saved again: the next start loads it.
            engine = engine.Restart();
            await engine.Publisher.LoadLatestAsync(CancellationToken.None);
            Assert.Equal((1, 0), (engine.Counters.IndexesLoaded, engine.Counters.IndexesBuilt));
        }
        finally
        {
            engine.Dispose();
        }
    }

    [Fact]
    public async Task Ingest_that_carries_the_catalogue_past_the_threshold_moves_it_to_the_inverted_file_in_the_background()
    {
        using var engine = new ServedEngine(Options());
        var tracks = ServedEngine.GeneratedTracks(1_500);
        await engine.IngestAsync(tracks[..900]);
        await engine.PublishAsync(fixture);
        using var lease = engine.Snapshots.Acquire();
        Assert.Equal(VectorIndexKind.Exact, lease.Snapshot.Index.Kind);

        foreach (var chunk in tracks[900..].Chunk(100))
        {
            await engine.IngestAsync(chunk);
        }

        await lease.Snapshot.IndexRebuilding;
        Assert.Equal(VectorIndexKind.InvertedFile, lease.Snapshot.Index.Kind);
        Assert.Equal(1_500, lease.Snapshot.TrackCount);
        foreach (var i in new[] { 901, 1_200, 1_500 })
        {
            var twin = tracks[i - 1] with { TrackId = $"twin-of-t{i}", Name = $"Twin of t{i}" };
            await engine.IngestAsync([twin]);
            var (rows, _) = await engine.RecommendAsync($"t{i}", 1);
            Assert.Equal(twin.TrackId, Assert.Single(rows).Track.TrackId);
        }
    }

    /// <summary>The k tracks nearest the seed by a full scan of the snapshot's unit vectors (seed excluded).</summary>
    private static List<string> ExactTop(ModelSnapshot snapshot, string seedId, int k)
    {
        Assert.True(snapshot.Tracks.TryFind(seedId, out var seedRow, out var seed));
        return snapshot.Tracks.Rows
            .Where(row => row.Key != seedRow)
            .OrderByDescending(row => UnitVector.Dot(seed.Vector, row.Value.Vector))
            .ThenBy(row => row.Key)
            .Take(k)
            .Select(row => row.Value.TrackId)
            .ToList();
    }
}
