using MusicDna.Core.Numerics;

namespace MusicDna.Core.Features;

/// <summary>
/// The Yeo-Johnson power transform as scikit-learn 1.2's <c>PowerTransformer</c> implements it, including the
/// lambda fit by maximum likelihood with scipy's Brent optimiser, so a model fitted here matches one fitted in Python.
/// </summary>
public static class YeoJohnson
{
    /// <summary>numpy's <c>np.spacing(1.0)</c>: sklearn treats lambdas closer than this to 0 or 2 as exactly 0 or 2.</summary>
    private static readonly double Spacing = Math.BitIncrement(1.0) - 1.0;

    /// <summary><c>np.finfo(np.float64).tiny</c>: the smallest normal double.</summary>
    private const double Tiny = 2.2250738585072014e-308;

    /// <summary>sklearn's <c>_yeo_johnson_transform</c> for one value.</summary>
    public static double Transform(double x, double lambda)
    {
        if (x >= 0)
        {
            return Math.Abs(lambda) < Spacing
                ? PreciseMath.Log1P(x)
                : (Math.Pow(x + 1, lambda) - 1) / lambda;
        }

        return Math.Abs(lambda - 2) > Spacing
            ? -(Math.Pow(-x + 1, 2 - lambda) - 1) / (2 - lambda)
            : -PreciseMath.Log1P(-x);
    }

    /// <summary>
    /// sklearn's <c>_yeo_johnson_inverse_transform</c> for one value. Values outside the image of the forward
    /// transform give NaN, as they do in sklearn.
    /// </summary>
    public static double InverseTransform(double y, double lambda)
    {
        if (y >= 0)
        {
            // sklearn uses exp(y) - 1 here, not expm1; matching it matters more than the last ulp.
            return Math.Abs(lambda) < Spacing
                ? Math.Exp(y) - 1
                : Math.Pow((y * lambda) + 1, 1 / lambda) - 1;
        }

        return Math.Abs(lambda - 2) > Spacing
            ? 1 - Math.Pow((-(2 - lambda) * y) + 1, 1 / (2 - lambda))
            : 1 - Math.Exp(-y);
    }

    /// <summary>
    /// The maximum-likelihood lambda for one feature column, as sklearn's <c>_yeo_johnson_optimize</c> finds it:
    /// <c>scipy.optimize.brent(neg_log_likelihood, brack=(-2, 2))</c>. NaN values are ignored, as in sklearn.
    /// </summary>
    /// <exception cref="ArgumentException">The column holds no values other than NaN.</exception>
    public static double FitLambda(ReadOnlySpan<double> column)
    {
        var values = new List<double>(column.Length);
        foreach (var value in column)
        {
            if (!double.IsNaN(value))
            {
                values.Add(value);
            }
        }

        if (values.Count == 0)
        {
            throw new ArgumentException("The column must hold at least one value that is not NaN.", nameof(column));
        }

        var likelihood = new NegativeLogLikelihood([.. values]);
        return BrentMinimizer.Minimize(likelihood.Evaluate, -2, 2);
    }

    /// <summary>
    /// The objective sklearn minimises: n/2·log(var(x_λ)) − (λ − 1)·Σ sign(x)·log1p(|x|), with +∞ where the
    /// transformed variance is below the smallest normal double. Buffers are reused across evaluations.
    /// </summary>
    private sealed class NegativeLogLikelihood
    {
        private readonly double[] _x;
        private readonly double[] _transformed;
        private readonly double[] _scratch;
        private readonly double _signedLogSum;

        public NegativeLogLikelihood(double[] x)
        {
            _x = x;
            _transformed = new double[x.Length];
            _scratch = new double[x.Length];
            var terms = new double[x.Length];
            for (var i = 0; i < x.Length; i++)
            {
                terms[i] = Math.Sign(x[i]) * PreciseMath.Log1P(Math.Abs(x[i]));
            }

            _signedLogSum = PairwiseSum.Sum(terms);
        }

        public double Evaluate(double lambda)
        {
            for (var i = 0; i < _x.Length; i++)
            {
                _transformed[i] = Transform(_x[i], lambda);
            }

            var variance = PairwiseSum.Variance(_transformed, _scratch);
            if (variance < Tiny)
            {
                return double.PositiveInfinity;
            }

            var logLikelihood = -_x.Length / 2.0 * Math.Log(variance);
            logLikelihood += (lambda - 1) * _signedLogSum;
            return -logLikelihood;
        }
    }
}
