namespace MusicDna.Cli.Tests;

/// <summary>`musicdna health` against a server that has no model yet.</summary>
public sealed class FreshServerTests(ServedCli server) : IClassFixture<ServedCli>
{
    [Fact]
    public async Task Health_exits_1_and_reports_not_serving_until_a_model_is_trained()
    {
        var text = await server.RunAsync("health");
        var json = await server.RunAsync("health", "--json");

        Assert.Equal(1, text.ExitCode);
        Assert.Equal("NotServing", text.Stdout.Trim());
        Assert.Equal(1, json.ExitCode);
        Assert.Equal("NOT_SERVING", Assert.Single(json.JsonLines()).GetProperty("status").GetString());
    }
}
