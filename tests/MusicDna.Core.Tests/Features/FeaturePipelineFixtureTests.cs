using MusicDna.Core.Features;
using MusicDna.Core.Tests.Support;

namespace MusicDna.Core.Tests.Features;

/// <summary>The C# pipeline against scikit-learn 1.2 on 300 real tracks (see Fixtures/README.md).</summary>
public sealed class FeaturePipelineFixtureTests
{
    private const double Tolerance = 1e-4;

    private static readonly PipelineReference Reference = PipelineReference.Load();
    private static readonly IReadOnlyList<(string TrackId, double[] Features)> Rows = PipelineReference.LoadRows();
    private static readonly FeaturePipeline Fitted = FeaturePipeline.Fit([.. Rows.Select(r => r.Features)]);

    [Fact]
    public void Fixture_rows_line_up_with_the_reference()
    {
        Assert.Equal(300, Rows.Count);
        Assert.Equal(Reference.TrackIds, Rows.Select(r => r.TrackId));
        Assert.Equal(FeatureSchema.Names, Reference.FeatureNames);
        Assert.StartsWith("1.2", Reference.SklearnVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_finds_the_lambdas_sklearn_finds()
    {
        AssertClose(Reference.Lambdas, Fitted.Parameters.Lambdas);
    }

    [Fact]
    public void Fit_finds_the_means_scales_mins_and_maxs_sklearn_finds()
    {
        var parameters = Fitted.Parameters;
        AssertClose(Reference.Means, parameters.Means);
        AssertClose(Reference.Scales, parameters.Scales);
        AssertClose(Reference.Mins, parameters.Mins);
        AssertClose(Reference.Maxs, parameters.Maxs);
    }

    [Fact]
    public void TransformMany_matches_sklearn_for_every_fixture_value()
    {
        var scaled = Fitted.TransformMany([.. Rows.Select(r => r.Features)]);

        for (var i = 0; i < Rows.Count; i++)
        {
            for (var j = 0; j < FeatureSchema.Count; j++)
            {
                var expected = Reference.Transformed[i][j];
                var actual = scaled[(i * FeatureSchema.Count) + j];
                Assert.True(
                    Math.Abs(expected - actual) <= Tolerance,
                    $"row {i} ({Rows[i].TrackId}) {FeatureSchema.Names[j]}: sklearn {expected}, ours {actual}");
            }
        }
    }

    [Fact]
    public void A_pipeline_rebuilt_from_sklearn_parameters_transforms_like_sklearn()
    {
        var pipeline = FeaturePipeline.FromParameters(new FeaturePipelineParameters(
            Reference.FeatureNames, Reference.Lambdas, Reference.Means, Reference.Scales, Reference.Mins, Reference.Maxs));
        Span<float> scaled = stackalloc float[FeatureSchema.Count];

        pipeline.Transform(Rows[17].Features, scaled);

        AssertClose(Reference.Transformed[17], [.. scaled.ToArray().Select(v => (double)v)]);
    }

    [Fact]
    public void InverseTransform_recovers_the_raw_fixture_values()
    {
        Span<float> scaled = stackalloc float[FeatureSchema.Count];
        Span<double> raw = stackalloc double[FeatureSchema.Count];
        foreach (var (_, features) in Rows)
        {
            Fitted.Transform(features, scaled);
            Fitted.InverseTransform(scaled, raw);

            for (var j = 0; j < FeatureSchema.Count; j++)
            {
                // float32 in the middle: relative error near 1e-7 of the feature's spread, amplified by the power.
                var spec = FeatureSchema.Features[j];
                Assert.True(
                    Math.Abs(features[j] - raw[j]) <= 1e-3 * (spec.Max - spec.Min),
                    $"{spec.Name}: raw {features[j]}, round trip {raw[j]}");
            }
        }
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var j = 0; j < expected.Length; j++)
        {
            Assert.True(
                Math.Abs(expected[j] - actual[j]) <= Tolerance,
                $"{FeatureSchema.Names[j]}: sklearn {expected[j]}, ours {actual[j]}");
        }
    }
}
