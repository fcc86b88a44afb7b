using MusicDna.Core.Numerics;

namespace MusicDna.Core.Tests.Numerics;

public sealed class PcaTests
{
    // Four points centred on (10, 5) with covariance [[2, 1], [1, 2]] (n − 1 denominator): eigenvalues 3 along
    // (1, 1)/√2 and 1 along (1, −1)/√2. ±(1.5, 1.5) gives 2 · 4.5 / 3 = 3; ±(√0.75, −√0.75) gives 2 · 1.5 / 3 = 1.
    private static readonly float H = (float)Math.Sqrt(0.75);
    private static readonly float[] Points = [11.5f, 6.5f, 8.5f, 3.5f, 10 + H, 5 - H, 10 - H, 5 + H];

    [Fact]
    public void Explained_variances_are_the_eigenvalues_of_the_known_covariance()
    {
        var pca = Pca.Fit(Points, 2, 2);

        Assert.Equal(3.0, pca.ExplainedVariance[0], 5);
        Assert.Equal(1.0, pca.ExplainedVariance[1], 5);
    }

    [Fact]
    public void One_component_keeps_the_main_axis_and_reconstructs_the_minor_axis_as_the_mean()
    {
        var pca = Pca.Fit(Points, 2, 1);

        var coordinates = pca.Transform(Points);
        Assert.Equal(Math.Sqrt(4.5), Math.Abs(coordinates[0]), 5);
        Assert.Equal(0.0, coordinates[2], 5);

        var reconstructed = pca.InverseTransform(coordinates);
        Assert.Equal(11.5, reconstructed[0], 4);
        Assert.Equal(6.5, reconstructed[1], 4);
        Assert.Equal(10.0, reconstructed[4], 4);
        Assert.Equal(5.0, reconstructed[5], 4);
    }

    [Fact]
    public void Both_components_reconstruct_every_point_exactly()
    {
        var pca = Pca.Fit(Points, 2, 2);

        var reconstructed = pca.InverseTransform(pca.Transform(Points));
        Assert.All(Enumerable.Range(0, Points.Length), i => Assert.Equal(Points[i], reconstructed[i], 4));
    }

    [Fact]
    public void Jacobi_finds_the_eigenvalues_and_unit_eigenvectors_of_a_known_symmetric_matrix()
    {
        // Block diag(2, [[3, 4], [4, 9]]): the block has eigenvalues 11 along (1, 2)/√5 and 1 along (2, −1)/√5.
        var (values, vectors) = JacobiEigen.Decompose(new double[,] { { 2, 0, 0 }, { 0, 3, 4 }, { 0, 4, 9 } });

        Assert.Equal(11.0, values[0], 10);
        Assert.Equal(2.0, values[1], 10);
        Assert.Equal(1.0, values[2], 10);
        Assert.Equal(0.0, vectors[0, 0], 10);
        Assert.Equal(1 / Math.Sqrt(5), Math.Abs(vectors[1, 0]), 10);
        Assert.Equal(2 / Math.Sqrt(5), Math.Abs(vectors[2, 0]), 10);
        Assert.Equal(1.0, Math.Abs(vectors[0, 1]), 10);
    }
}
