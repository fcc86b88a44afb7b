using System.Globalization;
using System.Text.Json;

namespace MusicDna.Core.Tests.Support;

/// <summary>The fixture rows and what scikit-learn made of them (Fixtures/make_pipeline_reference.py).</summary>
internal sealed record PipelineReference(
    string SklearnVersion,
    IReadOnlyList<string> FeatureNames,
    double[] Lambdas,
    double[] Means,
    double[] Scales,
    double[] Mins,
    double[] Maxs,
    IReadOnlyList<string> TrackIds,
    double[][] Transformed)
{
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static PipelineReference Load()
    {
        using var stream = File.OpenRead(FixturePath("pipeline_reference.json"));
        return JsonSerializer.Deserialize<PipelineReference>(stream, SnakeCase)
            ?? throw new InvalidDataException("pipeline_reference.json is empty");
    }

    /// <summary>The fixture's raw rows in file order: track id, then the 12 features (no quoting in this file).</summary>
    public static IReadOnlyList<(string TrackId, double[] Features)> LoadRows() =>
        [.. File.ReadLines(FixturePath("pipeline_fixture.csv"))
            .Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split(','))
            .Select(cells => (cells[0], cells[1..].Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()))];
}
