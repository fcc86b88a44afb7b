using System.Text.Json;
using MusicDna.Core.Features;
using MusicDna.Core.Tests.Support;

namespace MusicDna.Core.Tests.Features;

public sealed class FeaturePipelineParametersTests
{
    private static readonly FeaturePipelineParameters Fitted =
        FeaturePipeline.Fit([.. PipelineReference.LoadRows().Take(40).Select(r => r.Features)]).Parameters;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static TheoryData<string> OptionSets => ["default", "web"];

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void Parameters_survive_a_System_Text_Json_round_trip_unchanged(string optionSet)
    {
        var options = optionSet == "web" ? Web : JsonSerializerOptions.Default;

        var json = JsonSerializer.Serialize(Fitted, options);
        var back = JsonSerializer.Deserialize<FeaturePipelineParameters>(json, options);

        Assert.Equal(Fitted, back);
        Assert.Equal(Fitted.GetHashCode(), back!.GetHashCode());
    }

    [Fact]
    public void Web_defaults_write_camel_case_names()
    {
        var json = JsonSerializer.Serialize(Fitted, Web);

        Assert.Contains("\"featureNames\":[\"danceability\"", json, StringComparison.Ordinal);
        Assert.Contains("\"lambdas\":[", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_with_the_same_values_in_different_arrays_are_equal()
    {
        var copy = new FeaturePipelineParameters(
            [.. Fitted.FeatureNames], [.. Fitted.Lambdas], [.. Fitted.Means], [.. Fitted.Scales], [.. Fitted.Mins], [.. Fitted.Maxs]);

        Assert.Equal(Fitted, copy);
        Assert.Equal(Fitted.GetHashCode(), copy.GetHashCode());
    }

    [Fact]
    public void Parameters_differing_in_one_value_are_not_equal()
    {
        var changed = Fitted with { Maxs = [.. Fitted.Maxs.Select((v, j) => j == 11 ? v + 1e-12 : v)] };

        Assert.NotEqual(Fitted, changed);
    }
}
