using Microsoft.Extensions.Logging.Abstractions;
using MusicDna.Catalogue;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Ingest;
using MusicDna.Engine.Recommend;
using MusicDna.Engine.Snapshots;
using MusicDna.Model;

namespace MusicDna.Engine.Tests;

/// <summary>
/// The engine as the server composes it (real SQLite catalogue, model store, publisher and recommender) over one
/// data directory; <see cref="Restart"/> opens a new one over the same directory, as a restarted server would.
/// </summary>
internal sealed class ServedEngine : IDisposable
{
    private static readonly PageTokenKey TokenKey = new([.. Enumerable.Range(7, 32).Select(i => (byte)i)]);

    public ServedEngine(EngineOptions options)
    {
        Options = options;
        Catalogue = TrackCatalogue.Open(options.CataloguePath);
        Store = new ModelStore(options.ModelsDirectory);
        Publisher = new ServingPublisher(Catalogue, Store, Snapshots, options, Counters, NullLogger<ServingPublisher>.Instance);
        Recommender = new Recommender(Catalogue, Snapshots, TokenKey, Counters, NullLogger<Recommender>.Instance);
    }

    public EngineOptions Options { get; }

    public TrackCatalogue Catalogue { get; }

    public ModelStore Store { get; }

    public ModelSnapshotHolder Snapshots { get; } = new();

    public EngineCounters Counters { get; } = new();

    public ServingPublisher Publisher { get; }

    public Recommender Recommender { get; }

    /// <summary>Seeded tracks "{prefix}1".."{prefix}N" spread over <paramref name="genres"/> genres ("g0".."gN").</summary>
    public static Track[] GeneratedTracks(int count, string prefix = "t", int genres = 20) =>
        [.. Enumerable.Range(1, count).Select(i => TestTracks.Track($"{prefix}{i}", genre: $"g{i % genres}", popularity: i % 101))];

    public Task<IngestOutcome> IngestAsync(IReadOnlyList<Track> tracks) => Publisher.IngestAsync(tracks, CancellationToken.None);

    public async Task<long> PublishAsync(SnapshotFixture fixture)
    {
        var (manifest, model) = fixture.NewModel();
        var outcome = await Publisher.PublishModelAsync(manifest, model);
        return outcome.Manifest.Version;
    }

    /// <summary>One page: its tracks best first, and its end.</summary>
    public async Task<(List<Recommendation> Rows, FeedEnd End)> RecommendAsync(RecommendQuery query)
    {
        var rows = new List<Recommendation>();
        FeedEnd? end = null;
        await foreach (var item in Recommender.StreamAsync(query, CancellationToken.None))
        {
            switch (item)
            {
                case Recommendation row:
                    rows.Add(row);
                    break;
                case FeedEnd last:
                    end = last;
                    break;
            }
        }

        return (rows, end ?? throw new InvalidOperationException("The feed had no end."));
    }

    public Task<(List<Recommendation> Rows, FeedEnd End)> RecommendAsync(string trackId, int k, TrackFilter? filter = null) =>
        RecommendAsync(new RecommendQuery { Seeds = [new RecommendSeed("", trackId, null)], K = k, Filter = filter ?? TrackFilter.None });

    public ServedEngine Restart()
    {
        Dispose();
        return new ServedEngine(Options);
    }

    public void Dispose()
    {
        Snapshots.Dispose();
        Publisher.Dispose();
        Catalogue.Dispose();
    }
}
