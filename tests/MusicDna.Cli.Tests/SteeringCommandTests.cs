using System.Text.Json;

namespace MusicDna.Cli.Tests;

/// <summary>`musicdna serve` loaded with the first rows of the sample catalogue and trained once, through the CLI itself.</summary>
public sealed class TrainedServedCli : IAsyncLifetime
{
    public const int Rows = 400;

    public ServedCli Server { get; } = new();

    public List<string[]> CsvRows { get; } = [];

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        var lines = File.ReadLines(Musicdna.SampleCsv).Take(Rows + 1).ToList();
        CsvRows.AddRange(lines.Skip(1).Select(l => l.Split(',')));
        var csv = Path.Combine(Path.GetTempPath(), $"musicdna-cli-steer-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(csv, lines);
        try
        {
            var ingest = await Server.RunAsync("ingest", csv, "--json");
            Assert.True(ingest.ExitCode == 0, ingest.ToString());
            var train = await Server.RunAsync("train", "--json", "--epochs", "3", "--seed", "1");
            Assert.True(train.ExitCode == 0, train.ToString());
        }
        finally
        {
            File.Delete(csv);
        }
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Server.Dispose();
    }
}

/// <summary>`musicdna recommend --target/--min/--max/--steer`, `musicdna order` and `musicdna bridge` against `musicdna serve`.</summary>
public sealed class SteeringCommandTests(TrainedServedCli fixture) : IClassFixture<TrainedServedCli>
{
    private ServedCli Server => fixture.Server;

    private string Id(int row) => fixture.CsvRows[row][1];

    [Fact]
    public async Task Recommend_sends_targets_limits_and_steering_and_every_row_keeps_the_limits()
    {
        var result = await Server.RunAsync(
            "recommend", "--json", "-k", "5", "--track-id", Id(3), "--target", "energy=0.8", "--min", "tempo=90", "--max", "tempo=150",
            "--steer", "valence=-0.2", "--target-weight", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        var feed = result.JsonLines();
        var rows = feed.SkipLast(1).Select(l => l.GetProperty("recommendation")).ToList();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.InRange(r.GetProperty("track").GetProperty("features").GetProperty("tempo").GetDouble(), 90, 150));
        Assert.Equal(5, feed[^1].GetProperty("end").GetProperty("returned").GetInt32());
    }

    [Fact]
    public async Task Recommend_with_only_a_target_is_an_attribute_search_and_the_table_shows_the_features()
    {
        var result = await Server.RunAsync("recommend", "-k", "3", "--target", "energy=0.9", "--target", "danceability=0.7");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(3, result.Stdout.Split('\n').Count(l => l.Contains(" BPM · ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_target_the_contract_lacks_is_a_usage_error_naming_it()
    {
        var result = await Server.RunAsync("recommend", "--track-id", Id(3), "--target", "groove=0.5");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("groove", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Order_prints_the_same_tracks_and_a_path_no_longer_than_before()
    {
        var ids = Enumerable.Range(0, 20).Select(i => Id(i * 19)).ToArray();
        var result = await Server.RunAsync(["order", "--json", .. ids]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var response = Assert.Single(result.JsonLines());
        var ordered = response.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("trackId").GetString()).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ordered.Order(StringComparer.Ordinal));
        static double Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetDouble() : 0;
        Assert.True(Number(response, "pathLengthAfter") <= Number(response, "pathLengthBefore") + 1e-9, result.Stdout);

        var table = await Server.RunAsync(["order", "--arc", "rising", .. ids]);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("lower bound", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bridge_streams_its_steps_then_its_end_as_json_lines()
    {
        var result = await Server.RunAsync("bridge", Id(0), Id(350), "--steps", "3", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.JsonLines();
        Assert.Equal(4, lines.Count);
        Assert.Equal([1, 2, 3], lines.Take(3).Select(l => l.GetProperty("step").GetProperty("position").GetInt32()));
        Assert.Equal(3, lines[3].GetProperty("end").GetProperty("returned").GetInt32());
        var ids = lines.Take(3).Select(l => l.GetProperty("step").GetProperty("track").GetProperty("trackId").GetString()).ToList();
        Assert.Equal(3, ids.Distinct().Count());
        Assert.DoesNotContain(Id(0), ids);
        Assert.DoesNotContain(Id(350), ids);
    }
}
