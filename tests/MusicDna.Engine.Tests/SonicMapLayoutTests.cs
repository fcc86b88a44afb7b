using MusicDna.Core.Tracks;
using MusicDna.Engine.Map;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Tests;

/// <summary>The sonic map's layout and the placement of later tracks, on a real snapshot index with known clusters.</summary>
[Collection(TorchTests.Name)]
public sealed class SonicMapLayoutTests(SnapshotFixture fixture)
{
    private const int PerCluster = 60;
    private const int Clusters = 3;

    [Fact]
    public void The_same_vectors_give_the_same_map()
    {
        using var snapshot = ClusteredSnapshot(out var rows, out var vectors, out _);

        var first = SonicMapLayout.Compute(snapshot.Index, rows, vectors);
        var second = SonicMapLayout.Compute(snapshot.Index, rows, vectors);

        Assert.Equal(first.X, second.X);
        Assert.Equal(first.Y, second.Y);
        Assert.All(first.X.Concat(first.Y), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Every_track_lies_nearer_the_centre_of_its_own_cluster_than_of_any_other()
    {
        using var snapshot = ClusteredSnapshot(out var rows, out var vectors, out var cluster);

        var (x, y) = SonicMapLayout.Compute(snapshot.Index, rows, vectors);

        var centres = Enumerable.Range(0, Clusters)
            .Select(c => (X: Enumerable.Range(0, rows.Length).Where(i => cluster[i] == c).Average(i => x[i]),
                          Y: Enumerable.Range(0, rows.Length).Where(i => cluster[i] == c).Average(i => y[i])))
            .ToArray();
        for (var i = 0; i < rows.Length; i++)
        {
            var nearest = Enumerable.Range(0, Clusters).MinBy(c => Math.Pow(x[i] - centres[c].X, 2) + Math.Pow(y[i] - centres[c].Y, 2));
            Assert.Equal(cluster[i], nearest);
        }
    }

    [Fact]
    public void A_later_track_is_placed_among_the_tracks_of_its_cluster()
    {
        using var snapshot = ClusteredSnapshot(out var rows, out var vectors, out var cluster);
        var (x, y) = SonicMapLayout.Compute(snapshot.Index, rows, vectors);
        snapshot.Map.Set(rows, x, y);

        // A newcomer pointing like cluster 2, already in the index (as at ingest) but not yet on the map.
        float[] newcomer = [0.02f, 0.01f, 0.99f, 0.01f, 0f, 0f];
        MusicDna.Index.VectorMath.Normalize(newcomer);
        snapshot.Upsert([9999], [TestTracks.Track("newcomer")], TestTracks.Songs([TestTracks.Track("newcomer")]), newcomer);
        var placed = NeighbourPlacement.Place(snapshot, [9999], newcomer);

        var own = Enumerable.Range(0, rows.Length).Where(i => cluster[i] == 2).ToArray();
        Assert.InRange(placed.X[0], own.Min(i => x[i]), own.Max(i => x[i]));
        Assert.InRange(placed.Y[0], own.Min(i => y[i]), own.Max(i => y[i]));
    }

    /// <summary>Three tight clusters of unit vectors around the first three axes, in the snapshot's index.</summary>
    private ModelSnapshot ClusteredSnapshot(out long[] rows, out float[] vectors, out int[] cluster)
    {
        var snapshot = fixture.NewSnapshot();
        var random = new Random(3);
        var n = PerCluster * Clusters;
        rows = [.. Enumerable.Range(1, n).Select(i => (long)i)];
        vectors = new float[n * 6];
        cluster = new int[n];
        for (var i = 0; i < n; i++)
        {
            cluster[i] = i % Clusters;
            for (var d = 0; d < 6; d++)
            {
                vectors[(i * 6) + d] = (d == cluster[i] ? 1f : 0f) + (float)((random.NextDouble() - 0.5) * 0.3);
            }

            MusicDna.Index.VectorMath.Normalize(vectors.AsSpan(i * 6, 6));
        }

        Track[] tracks = [.. rows.Select(r => TestTracks.Track($"t{r}"))];
        snapshot.Upsert(rows, tracks, TestTracks.Songs(tracks), vectors);
        return snapshot;
    }
}
