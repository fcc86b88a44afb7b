using MusicDna.Evaluation;

namespace MusicDna.Evaluation.Tests;

public sealed class SilhouetteTests
{
    [Fact]
    public void Two_tight_pairs_score_the_hand_computed_mean_silhouette()
    {
        // 1-d points 0, 1 | 5, 6. For 0: a = 1, b = (5 + 6) / 2 = 5.5, s = 4.5 / 5.5 = 9/11; for 1: a = 1, b = 4.5,
        // s = 7/9; the other pair mirrors them. Mean = (9/11 + 7/9) / 2 = 79/99.
        float[] points = [0, 1, 5, 6];

        Assert.Equal(79.0 / 99.0, Silhouette.Score(points, 1, [0, 0, 1, 1]), 12);
    }

    [Fact]
    public void A_track_alone_in_its_cluster_scores_zero_as_in_scikit_learn()
    {
        // 0, 1 | 4: s(0) = (4 − 1) / 4 = 3/4, s(1) = (3 − 1) / 3 = 2/3, s(4) = 0 (singleton). Mean = 17/36.
        float[] points = [0, 1, 4];

        Assert.Equal(17.0 / 36.0, Silhouette.Score(points, 1, [0, 0, 1]), 12);
    }

    [Fact]
    public void Distances_are_euclidean_across_all_dimensions()
    {
        // 2-d: (0,0), (3,4) in one cluster, (0,8) alone. For (0,0): a = 5, b = 8, s = 3/8; for (3,4): a = 5,
        // b = |(3,4) − (0,8)| = 5, s = 0; the singleton scores 0. Mean = 1/8.
        float[] points = [0, 0, 3, 4, 0, 8];

        Assert.Equal(1.0 / 8.0, Silhouette.Score(points, 2, [0, 0, 1]), 12);
    }

    [Fact]
    public void A_single_cluster_has_no_silhouette()
    {
        Assert.Throws<ArgumentException>(() => Silhouette.Score([0, 1, 2], 1, [0, 0, 0]));
    }
}
