using MusicDna.Core.Tracks;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Tests;

[Collection(TorchTests.Name)]
public sealed class ModelSnapshotTests(SnapshotFixture fixture)
{
    private const float Tolerance = 1e-5f;

    [Fact]
    public void Upsert_stores_unit_vectors_in_the_facts_and_the_same_vectors_in_the_index()
    {
        using var snapshot = fixture.NewSnapshot();
        var tracks = Tracks("a", "b", "c", "d");
        var raw = snapshot.Embed([.. tracks.Select(t => t.Features)]);
        Assert.Contains(Enumerable.Range(0, tracks.Length), i => Math.Abs(Norm(raw.AsSpan(i * snapshot.LatentSize, snapshot.LatentSize)) - 1) > 0.01);

        snapshot.Upsert([1, 2, 3, 4], tracks, TestTracks.Songs(tracks), raw);

        var stored = new float[snapshot.LatentSize];
        for (var row = 1L; row <= 4; row++)
        {
            Assert.True(snapshot.Tracks.TryGet(row, out var facts));
            Assert.Equal(1f, Norm(facts.Vector), Tolerance);
            Assert.True(snapshot.Index.TryGetVector(row, stored));
            Assert.Equal(facts.Vector.ToArray(), stored, new Close());
        }
    }

    [Fact]
    public void The_index_cosine_of_every_track_is_the_dot_of_its_facts_vector_with_the_unit_query()
    {
        using var snapshot = fixture.NewSnapshot(1, count: 50, seed: 5);
        var query = snapshot.EmbedUnit(TestTracks.Features(new Random(9)));

        var hits = snapshot.Index.Search(query, 50);

        Assert.Equal(50, hits.Count);
        foreach (var hit in hits)
        {
            Assert.True(snapshot.Tracks.TryGet(hit.Id, out var facts));
            Assert.Equal(UnitVector.Dot(query, facts.Vector), hit.Score, Tolerance);
        }
    }

    [Fact]
    public void Upsert_of_an_existing_row_replaces_its_facts_and_its_vector()
    {
        using var snapshot = fixture.NewSnapshot();
        snapshot.Upsert([1, 2], Tracks("a", "b"), TestTracks.Songs(Tracks("a", "b")), [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
        var renamed = TestTracks.Track("a", genre: "jazz", popularity: 77);

        snapshot.Upsert([1], [renamed], TestTracks.Songs([renamed]), [0, 0, 0, 0, 0, 3]);

        Assert.Equal(2, snapshot.TrackCount);
        Assert.Equal(2, snapshot.Tracks.Count);
        Assert.True(snapshot.Tracks.TryFind("a", out var row, out var facts));
        Assert.Equal(1, row);
        Assert.True(TrackContent.Same(renamed, facts.Track));
        Assert.Equal([0, 0, 0, 0, 0, 1f], facts.Vector.ToArray(), new Close());
        var best = snapshot.Index.Search([0, 0, 0, 0, 0, 1], 1).Single();
        Assert.Equal(1, best.Id);
        Assert.Equal(1f, best.Score, Tolerance);
    }

    [Fact]
    public void Remove_takes_a_track_out_of_the_index_and_the_facts()
    {
        using var snapshot = fixture.NewSnapshot(1, count: 20, seed: 6);
        Assert.True(snapshot.Tracks.TryGet(7, out var removed));

        snapshot.Remove([7]);

        Assert.Equal(19, snapshot.TrackCount);
        Assert.Equal(19, snapshot.Tracks.Count);
        Assert.False(snapshot.Tracks.TryGet(7, out _));
        Assert.False(snapshot.Tracks.TryFind("t7", out _, out _));
        Assert.False(snapshot.Index.TryGetVector(7, new float[snapshot.LatentSize]));
        Assert.DoesNotContain(snapshot.Index.Search(removed.Vector, 20), hit => hit.Id == 7);
    }

    [Fact]
    public void Upsert_refuses_more_row_ids_than_tracks_and_writes_nothing()
    {
        using var snapshot = fixture.NewSnapshot();

        Assert.Throws<ArgumentException>(() => snapshot.Upsert([1, 2], Tracks("a"), ["s"], new float[2 * snapshot.LatentSize]));

        AssertEmpty(snapshot);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(-6)]
    public void Upsert_refuses_vectors_that_do_not_make_one_row_per_track_and_writes_nothing(int extraValues)
    {
        using var snapshot = fixture.NewSnapshot();

        Assert.Throws<ArgumentException>(() => snapshot.Upsert([1, 2], Tracks("a", "b"), ["s", "s"], new float[(2 * snapshot.LatentSize) + extraValues]));

        AssertEmpty(snapshot);
    }

    private static Track[] Tracks(params string[] ids) => [.. ids.Select(id => TestTracks.Track(id))];

    private static float Norm(ReadOnlySpan<float> vector) => MathF.Sqrt(UnitVector.Dot(vector, vector));

    private static void AssertEmpty(ModelSnapshot snapshot)
    {
        Assert.Equal(0, snapshot.TrackCount);
        Assert.Equal(0, snapshot.Tracks.Count);
    }

    private sealed class Close : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= Tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
