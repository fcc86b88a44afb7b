using MusicDna.Core.Features;

namespace MusicDna.Core.Tests.Features;

// Expected values come from scikit-learn 1.2's PowerTransformer._yeo_johnson_transform / _yeo_johnson_optimize.
public sealed class YeoJohnsonTests
{
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.4054651081081644)]
    [InlineData(3.0, 1.3862943611198906)]
    [InlineData(-0.5, -0.625)]
    [InlineData(-3.0, -7.5)]
    public void Transform_with_lambda_exactly_zero_takes_the_log_branch_for_non_negative_x(double x, double expected)
    {
        Assert.Equal(expected, YeoJohnson.Transform(x, 0.0), 12);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.625)]
    [InlineData(3.0, 7.5)]
    [InlineData(-0.5, -0.4054651081081644)]
    [InlineData(-3.0, -1.3862943611198906)]
    public void Transform_with_lambda_exactly_two_takes_the_log_branch_for_negative_x(double x, double expected)
    {
        Assert.Equal(expected, YeoJohnson.Transform(x, 2.0), 12);
    }

    [Fact]
    public void Transform_treats_lambdas_within_one_ulp_of_zero_or_two_as_exact()
    {
        Assert.Equal(YeoJohnson.Transform(0.5, 0.0), YeoJohnson.Transform(0.5, 1e-300));
        Assert.Equal(YeoJohnson.Transform(-0.5, 2.0), YeoJohnson.Transform(-0.5, 2.0 + 1e-17));
    }

    [Fact]
    public void Transform_near_zero_keeps_full_precision()
    {
        // log1p(1e-12); a naive log(1 + x) is off in the fifth significant digit here.
        var relativeError = Math.Abs((YeoJohnson.Transform(1e-12, 0.0) / 9.999999999995e-13) - 1);

        Assert.True(relativeError < 1e-15, $"relative error {relativeError}");
    }

    [Theory]
    [InlineData(0.5, 0.46885891420476294)]
    [InlineData(3.0, 2.3414511736368406)]
    [InlineData(-0.5, -0.5338618486040638)]
    [InlineData(-3.0, -3.894512512339687)]
    public void Transform_with_a_general_lambda_matches_sklearn(double x, double expected)
    {
        Assert.Equal(expected, YeoJohnson.Transform(x, 0.7), 12);
    }

    [Theory]
    [InlineData(-49.531, -2.8146156640108475)]
    [InlineData(-6.746, -1.7127502358824074)]
    [InlineData(4.532, 18.635131906584668)]
    public void Transform_handles_loudness_on_both_sides_of_zero(double decibels, double expected)
    {
        Assert.Equal(expected, YeoJohnson.Transform(decibels, 2.179757146688778), 11);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.7)]
    [InlineData(2.0)]
    [InlineData(-1.3)]
    public void InverseTransform_undoes_Transform_on_both_branches(double lambda)
    {
        foreach (var x in new[] { -40.0, -3.0, -0.5, 0.0, 0.25, 3.0, 120.0 })
        {
            var y = YeoJohnson.Transform(x, lambda);
            Assert.Equal(x, YeoJohnson.InverseTransform(y, lambda), 9);
        }
    }

    [Fact]
    public void FitLambda_on_mostly_negative_values_matches_sklearn()
    {
        double[] loudness = [-12.3, -5.1, -30.2, 1.5, -8.8, -3.3, -20.0, 0.0, -6.6, -15.4];

        Assert.Equal(1.4549951268615597, YeoJohnson.FitLambda(loudness), 6);
    }

    [Fact]
    public void FitLambda_on_a_column_of_zeros_lands_where_sklearn_does()
    {
        // Zero variance at every lambda makes the likelihood +inf everywhere; Brent's golden steps still end at one point.
        Assert.Equal(8.472135811722177, YeoJohnson.FitLambda(new double[7]), 12);
    }

    [Fact]
    public void FitLambda_ignores_NaN_like_sklearn()
    {
        double[] withNaN = [-12.3, double.NaN, -5.1, -30.2, 1.5, -8.8, -3.3, -20.0, 0.0, -6.6, -15.4];

        Assert.Equal(1.4549951268615597, YeoJohnson.FitLambda(withNaN), 6);
    }

    [Fact]
    public void FitLambda_refuses_a_column_without_values()
    {
        Assert.Throws<ArgumentException>(() => YeoJohnson.FitLambda([double.NaN]));
    }
}
