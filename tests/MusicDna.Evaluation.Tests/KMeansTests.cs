using MusicDna.Evaluation;

namespace MusicDna.Evaluation.Tests;

public sealed class KMeansTests
{
    // Two obvious groups: three points near the origin, three near (10, 10).
    private static readonly float[] TwoGroups = [0, 0, 10, 10, 0, 1, 10, 11, 1, 0, 11, 10];

    [Fact]
    public void Two_obvious_groups_become_the_two_clusters_with_their_means_as_centroids()
    {
        var result = KMeans.Fit(TwoGroups, 2, 2, seed: 7);

        Assert.Equal(result.Labels[0], result.Labels[2]);
        Assert.Equal(result.Labels[0], result.Labels[4]);
        Assert.Equal(result.Labels[1], result.Labels[3]);
        Assert.Equal(result.Labels[1], result.Labels[5]);
        Assert.NotEqual(result.Labels[0], result.Labels[1]);
        var near = result.Labels[0];
        var far = result.Labels[1];
        Assert.Equal(1 / 3f, result.Centroids[near * 2], 5);
        Assert.Equal(1 / 3f, result.Centroids[(near * 2) + 1], 5);
        Assert.Equal(31 / 3f, result.Centroids[far * 2], 4);
        Assert.Equal(31 / 3f, result.Centroids[(far * 2) + 1], 4);

        // Each group: squared distances to its mean 2/9 + 5/9 + 5/9 = 4/3; both groups 8/3.
        Assert.Equal(8.0 / 3.0, result.Inertia, 4);
    }

    [Fact]
    public void The_same_seed_gives_the_same_clusters()
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 600).Select(_ => (float)random.NextDouble()).ToArray();

        var first = KMeans.Fit(rows, 3, 5, seed: 11);
        var second = KMeans.Fit(rows, 3, 5, seed: 11);

        Assert.Equal(first.Labels, second.Labels);
        Assert.Equal(first.Centroids, second.Centroids);
    }

    [Fact]
    public void Fewer_rows_than_clusters_are_refused()
    {
        Assert.Throws<ArgumentException>(() => KMeans.Fit([0, 1], 1, 3, seed: 1));
    }
}
