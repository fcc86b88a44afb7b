using System.Text.Json;

namespace MusicDna.Cli.Tests;

/// <summary>
/// `musicdna` driven the way a script drives it, against `musicdna serve`: JSON Lines on standard output, progress
/// and row errors on standard error, and exit codes that tell the failures apart.
/// </summary>
public sealed class ScriptedWorkflowTests(ServedCli server) : IClassFixture<ServedCli>
{
    private const int Rows = 400;

    [Fact]
    public async Task Ingest_train_and_recommend_with_json_print_one_object_per_line_that_a_script_can_read()
    {
        var lines = File.ReadLines(Musicdna.SampleCsv).Take(Rows + 1).ToList();
        var csv = Path.Combine(Path.GetTempPath(), $"musicdna-cli-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(csv, [.. lines, "0,only,three fields"]);
        var seedId = lines[1].Split(',')[1];
        try
        {
            var ingest = await server.RunAsync("ingest", csv, "--json");
            var train = await server.RunAsync("train", "--json", "--epochs", "3", "--seed", "1");
            var recommend = await server.RunAsync("recommend", "--json", "-k", "5", "--track-id", seedId);
            var health = await server.RunAsync("health", "--json");

            Assert.True(ingest.ExitCode == 0, ingest.ToString());
            var summary = Assert.Single(ingest.JsonLines());
            Assert.Equal(Rows.ToString(System.Globalization.CultureInfo.InvariantCulture), summary.GetProperty("summary").GetProperty("received").GetString());
            Assert.Equal(1, summary.GetProperty("unreadableRows").GetInt32());
            Assert.Contains($"row {Rows + 1}:", ingest.Stderr, StringComparison.Ordinal);

            Assert.True(train.ExitCode == 0, train.ToString());
            var trainLines = train.JsonLines();
            Assert.Equal(4, trainLines.Count);
            Assert.Equal([1, 2, 3], trainLines.Take(3).Select(l => l.GetProperty("progress").GetProperty("epoch").GetInt32()));
            Assert.Equal(3, trainLines[3].GetProperty("model").GetProperty("epochsRun").GetInt32());

            Assert.True(recommend.ExitCode == 0, recommend.ToString());
            var feed = recommend.JsonLines();
            Assert.Equal(6, feed.Count);
            var rows = feed.Take(5).Select(l => l.GetProperty("recommendation")).ToList();
            Assert.Equal([1, 2, 3, 4, 5], rows.Select(r => r.GetProperty("rank").GetInt32()));
            Assert.DoesNotContain(seedId, rows.Select(r => r.GetProperty("track").GetProperty("trackId").GetString()));
            Assert.Equal(5, feed[5].GetProperty("end").GetProperty("returned").GetInt32());

            Assert.True(health.ExitCode == 0, health.ToString());
            Assert.Equal("SERVING", Assert.Single(health.JsonLines()).GetProperty("status").GetString());
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public async Task Exit_codes_tell_a_refused_call_from_a_bad_argument_and_from_an_absent_server()
    {
        var refused = await server.RunAsync("recommend", "--track-id", "no-such-track");
        var missingFile = await server.RunAsync("ingest", Path.Combine(Path.GetTempPath(), "no-such-file.csv"));
        var absent = await Musicdna.RunAsync("health", "--address", LoopbackPort.FreeUrl());

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.StartsWith("error: ", refused.Stderr, StringComparison.Ordinal);
        Assert.Empty(refused.Stdout);
        Assert.True(missingFile.ExitCode == 2, missingFile.ToString());
        Assert.Contains("does not exist", missingFile.Stderr, StringComparison.Ordinal);
        Assert.True(absent.ExitCode == 3, absent.ToString());
        Assert.Contains("no MusicDna server answers", absent.Stderr, StringComparison.Ordinal);
    }
}
