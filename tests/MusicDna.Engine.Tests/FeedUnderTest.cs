using Microsoft.Extensions.Logging.Abstractions;
using MusicDna.Catalogue;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Recommend;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Tests;

/// <summary>
/// The real <see cref="Recommender"/> over a real snapshot (index and track table) of hand-made tracks whose latent
/// vectors are given, so a test knows every track's cosine to the seed. Rows are numbered 1.. in the given order;
/// the score scale is measured over them, as a published snapshot's is.
/// </summary>
internal sealed class FeedUnderTest : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ModelSnapshotHolder _holder = new();
    private readonly TrackCatalogue _catalogue;
    private readonly Recommender _recommender;

    public FeedUnderTest(SnapshotFixture fixture, IReadOnlyList<(Track Track, float[] Vector)> tracks)
    {
        var snapshot = fixture.NewSnapshot();
        var rowIds = Enumerable.Range(1, tracks.Count).Select(i => (long)i).ToArray();
        snapshot.Upsert(rowIds, [.. tracks.Select(t => t.Track)], TestTracks.Songs(tracks.Select(t => t.Track)), [.. tracks.SelectMany(t => t.Vector)]);
        snapshot.CalibrateScores();
        _holder.Publish(snapshot);
        Snapshot = snapshot;
        _catalogue = TrackCatalogue.Open(_directory.File("catalogue.db"));
        _recommender = new Recommender(_catalogue, _holder, new PageTokenKey([.. Enumerable.Range(1, 32).Select(i => (byte)i)]),
            new EngineCounters(), NullLogger<Recommender>.Instance);
    }

    public ModelSnapshot Snapshot { get; }

    /// <summary>A track in the plane of the first two latent axes, <paramref name="degrees"/> away from the first axis.</summary>
    public static (Track, float[]) At(double degrees, string id, string name, string artist, int popularity = 0, string genre = "pop")
    {
        var radians = degrees * Math.PI / 180;
        var track = TestTracks.Track(id, genre, popularity, artist) with { Name = name };
        return (track, [(float)Math.Cos(radians), (float)Math.Sin(radians), 0, 0, 0, 0]);
    }

    public async Task<(List<Recommendation> Rows, FeedEnd End)> RecommendAsync(RecommendQuery query)
    {
        var rows = new List<Recommendation>();
        FeedEnd? end = null;
        await foreach (var item in _recommender.StreamAsync(query, CancellationToken.None))
        {
            if (item is Recommendation row)
            {
                rows.Add(row);
            }
            else
            {
                end = (FeedEnd)item;
            }
        }

        return (rows, end!);
    }

    public static RecommendQuery Query(string seedId, int k = 10) => new() { Seeds = [new RecommendSeed("", seedId, null)], K = k };

    public void Dispose()
    {
        _holder.Dispose();
        _catalogue.Dispose();
        _directory.Dispose();
    }
}
