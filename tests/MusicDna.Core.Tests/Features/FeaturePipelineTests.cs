using MusicDna.Core.Errors;
using MusicDna.Core.Features;
using MusicDna.Core.Tests.Support;

namespace MusicDna.Core.Tests.Features;

public sealed class FeaturePipelineTests
{
    private const int Count = FeatureSchema.Count;
    private static readonly double[][] Rows = [.. PipelineReference.LoadRows().Take(60).Select(r => r.Features)];
    private static readonly FeaturePipeline Fitted = FeaturePipeline.Fit(Rows);

    [Fact]
    public void Fit_without_rows_is_refused()
    {
        var error = Assert.Throws<InvalidInputException>(() => FeaturePipeline.Fit([]));

        Assert.Equal("rows", error.Field);
    }

    [Fact]
    public void Fit_names_the_row_with_the_wrong_number_of_values()
    {
        var error = Assert.Throws<InvalidInputException>(() => FeaturePipeline.Fit([Rows[0], new double[11]]));

        Assert.Equal("rows[1]", error.Field);
    }

    [Fact]
    public void Fit_names_the_feature_that_is_not_finite()
    {
        var bad = (double[])Rows[2].Clone();
        bad[3] = double.NaN;

        var error = Assert.Throws<InvalidInputException>(() => FeaturePipeline.Fit([Rows[0], Rows[1], bad]));

        Assert.Equal("rows[2].loudness", error.Field);
    }

    [Fact]
    public void Training_rows_scale_to_exactly_zero_through_one_per_feature()
    {
        var scaled = Fitted.TransformMany(Rows);

        for (var j = 0; j < Count; j++)
        {
            var column = Enumerable.Range(0, Rows.Length).Select(i => scaled[(i * Count) + j]).ToArray();
            Assert.Equal(0f, column.Min(), 6);
            Assert.Equal(1f, column.Max(), 6);
        }
    }

    [Fact]
    public void A_constant_column_scales_to_zero_with_unit_scale_and_no_NaN()
    {
        var rows = Rows.Select(r => r.ToArray()).ToArray();
        foreach (var row in rows)
        {
            row[4] = 1; // every track in major mode
        }

        var pipeline = FeaturePipeline.Fit(rows);
        var scaled = pipeline.TransformMany(rows);

        Assert.Equal(1.0, pipeline.Parameters.Scales[4]);
        Assert.True(double.IsFinite(pipeline.Parameters.Lambdas[4]));
        Assert.All(Enumerable.Range(0, rows.Length), i => Assert.Equal(0f, scaled[(i * Count) + 4], 6));
        Assert.All(scaled, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Values_beyond_the_training_range_are_not_clipped()
    {
        var loud = (double[])Rows.MaxBy(r => r[3])!.Clone();
        var quiet = (double[])Rows.MinBy(r => r[3])!.Clone();
        loud[3] += 3;
        quiet[3] -= 10;
        Span<float> scaled = stackalloc float[Count];

        Fitted.Transform(loud, scaled);
        Assert.True(scaled[3] > 1f, $"louder than any training track scaled to {scaled[3]}");

        Fitted.Transform(quiet, scaled);
        Assert.True(scaled[3] < 0f, $"quieter than any training track scaled to {scaled[3]}");
    }

    [Fact]
    public void Transform_refuses_a_row_of_the_wrong_length()
    {
        var error = Assert.Throws<InvalidInputException>(() => Fitted.Transform(new double[13], new float[Count]));

        Assert.Equal("features", error.Field);
    }

    [Fact]
    public void Transform_refuses_a_destination_of_the_wrong_length()
    {
        Assert.Throws<ArgumentException>(() => Fitted.Transform(Rows[0], new float[Count - 1]));
    }

    [Fact]
    public void TransformMany_lays_rows_out_one_after_another()
    {
        var many = Fitted.TransformMany([Rows[5], Rows[9]]);
        var single = new float[Count];

        Fitted.Transform(Rows[9], single);

        Assert.Equal(2 * Count, many.Length);
        Assert.Equal(single, many[Count..]);
    }

    [Fact]
    public void FromParameters_rebuilds_a_pipeline_that_transforms_identically()
    {
        var rebuilt = FeaturePipeline.FromParameters(Fitted.Parameters);

        Assert.Equal(Fitted.TransformMany(Rows), rebuilt.TransformMany(Rows));
        Assert.Equal(Fitted.Parameters, rebuilt.Parameters);
    }

    [Fact]
    public void Changing_the_returned_parameters_does_not_change_the_pipeline()
    {
        var before = Fitted.TransformMany(Rows);

        Fitted.Parameters.Lambdas[0] = 42;

        Assert.Equal(before, Fitted.TransformMany(Rows));
    }

    public static TheoryData<string, Func<FeaturePipelineParameters, FeaturePipelineParameters>> BrokenParameters => new()
    {
        { "parameters.feature_names", p => p with { FeatureNames = [.. p.FeatureNames.Reverse()] } },
        { "parameters.feature_names", p => p with { FeatureNames = [.. p.FeatureNames.Take(11)] } },
        { "parameters.lambdas", p => p with { Lambdas = [.. p.Lambdas.Take(11)] } },
        { "parameters.means[2]", p => p with { Means = [.. p.Means.Select((v, j) => j == 2 ? double.NaN : v)] } },
        { "parameters.scales[5]", p => p with { Scales = [.. p.Scales.Select((v, j) => j == 5 ? 0 : v)] } },
        { "parameters.maxs[7]", p => p with { Maxs = [.. p.Maxs.Select((v, j) => j == 7 ? p.Mins[7] - 1 : v)] } },
    };

    [Theory]
    [MemberData(nameof(BrokenParameters))]
    public void FromParameters_refuses_parameters_no_fit_could_produce(
        string field, Func<FeaturePipelineParameters, FeaturePipelineParameters> breakIt)
    {
        var error = Assert.Throws<InvalidInputException>(() => FeaturePipeline.FromParameters(breakIt(Fitted.Parameters)));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void InverseTransform_of_zero_and_one_gives_the_training_extremes()
    {
        var lows = new float[Count];
        var highs = Enumerable.Repeat(1f, Count).ToArray();
        var raw = new double[Count];

        Fitted.InverseTransform(lows, raw);
        Assert.Equal(Rows.Min(r => r[3]), raw[3], 3);

        Fitted.InverseTransform(highs, raw);
        Assert.Equal(Rows.Max(r => r[10]), raw[10], 2);
    }

    [Fact]
    public void Concurrent_transforms_agree_with_a_single_threaded_one()
    {
        var expected = Fitted.TransformMany(Rows);
        var results = new float[8][];

        Parallel.For(0, results.Length, k => results[k] = Fitted.TransformMany(Rows));

        Assert.All(results, r => Assert.Equal(expected, r));
    }
}
