namespace MusicDna.Core.Numerics;

/// <summary>
/// Principal component analysis as scikit-learn's <c>PCA(n_components)</c> does it: centre on the training mean,
/// keep the top eigenvectors of the covariance (n − 1 denominator). Component signs are arbitrary, which changes
/// neither reconstructions nor cosine neighbourhoods.
/// </summary>
public sealed class Pca
{
    private readonly double[] _mean;

    // components × dimension, row-major: each row one unit principal axis.
    private readonly double[] _axes;

    private Pca(double[] mean, double[] axes, double[] explainedVariance, int components)
    {
        _mean = mean;
        _axes = axes;
        ExplainedVariance = explainedVariance;
        Components = components;
    }

    public int Dimension => _mean.Length;

    public int Components { get; }

    /// <summary>Variance along each kept axis, largest first.</summary>
    public IReadOnlyList<double> ExplainedVariance { get; }

    /// <summary>Fits on row-major <paramref name="rows"/> of <paramref name="dimension"/> columns.</summary>
    public static Pca Fit(ReadOnlySpan<float> rows, int dimension, int components)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(components, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(components, dimension);
        var n = CheckedRows(rows, dimension);
        if (n < 2)
        {
            throw new ArgumentException("PCA needs at least two rows.", nameof(rows));
        }

        var mean = new double[dimension];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < dimension; j++)
            {
                mean[j] += rows[(i * dimension) + j];
            }
        }

        for (var j = 0; j < dimension; j++)
        {
            mean[j] /= n;
        }

        var covariance = new double[dimension, dimension];
        var centred = new double[dimension];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < dimension; j++)
            {
                centred[j] = rows[(i * dimension) + j] - mean[j];
            }

            for (var j = 0; j < dimension; j++)
            {
                for (var l = j; l < dimension; l++)
                {
                    covariance[j, l] += centred[j] * centred[l];
                }
            }
        }

        for (var j = 0; j < dimension; j++)
        {
            for (var l = j; l < dimension; l++)
            {
                covariance[j, l] /= n - 1;
                covariance[l, j] = covariance[j, l];
            }
        }

        var (values, vectors) = JacobiEigen.Decompose(covariance);
        var axes = new double[components * dimension];
        for (var c = 0; c < components; c++)
        {
            for (var j = 0; j < dimension; j++)
            {
                axes[(c * dimension) + j] = vectors[j, c];
            }
        }

        return new Pca(mean, axes, values[..components], components);
    }

    /// <summary>Rows → their coordinates on the principal axes (rows × Components).</summary>
    public float[] Transform(ReadOnlySpan<float> rows)
    {
        var n = CheckedRows(rows, Dimension);
        var result = new float[n * Components];
        for (var i = 0; i < n; i++)
        {
            for (var c = 0; c < Components; c++)
            {
                var sum = 0.0;
                for (var j = 0; j < Dimension; j++)
                {
                    sum += (rows[(i * Dimension) + j] - _mean[j]) * _axes[(c * Dimension) + j];
                }

                result[(i * Components) + c] = (float)sum;
            }
        }

        return result;
    }

    /// <summary>Coordinates → points back in the original space (rows × Dimension).</summary>
    public float[] InverseTransform(ReadOnlySpan<float> latents)
    {
        var n = CheckedRows(latents, Components);
        var result = new float[n * Dimension];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < Dimension; j++)
            {
                var sum = _mean[j];
                for (var c = 0; c < Components; c++)
                {
                    sum += latents[(i * Components) + c] * _axes[(c * Dimension) + j];
                }

                result[(i * Dimension) + j] = (float)sum;
            }
        }

        return result;
    }

    private static int CheckedRows(ReadOnlySpan<float> values, int width)
    {
        if (values.Length % width != 0)
        {
            throw new ArgumentException($"Length {values.Length} is not a whole number of {width}-value rows.", nameof(values));
        }

        return values.Length / width;
    }
}
