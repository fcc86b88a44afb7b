namespace MusicDna.Server.Tests;

/// <summary>A bad setting stops start-up with exit code 1 and one sentence naming the key, never a stack trace.</summary>
public sealed class StartupRefusalTests : IDisposable
{
    private readonly TempDirectory _data = new("musicdna-e2e-");

    public void Dispose() => _data.Dispose();

    public static TheoryData<string, string> BadSettings() => new()
    {
        { "MusicDna:Auth:Mode=Off", "MusicDna:Auth:Mode cannot be 'Off': it must be one of ApiKeys, Disabled." },
        { "MusicDna:Limits:ReadCallTimeout=-00:00:01", "MusicDna:Limits:ReadCallTimeout must be more than 0" },
        { "MusicDna:Limits:ReadCallTimeout=00:00:00", "MusicDna:Limits:ReadCallTimeout must be more than 0" },
        { "MusicDna:Limits:ReadCallTimeout=soon", "MusicDna:Limits:ReadCallTimeout cannot be 'soon': it must be a time span" },
        { "MusicDna:Limits:MaxConcurrentStreamsPerConnection=0", "MusicDna:Limits:MaxConcurrentStreamsPerConnection must be between 1" },
        { "MusicDna:SearchThreads=0", "MusicDna:SearchThreads must be between 1 and 256, got 0." },
        { "MusicDna:ApproximateIndexFrom=999", "MusicDna:ApproximateIndexFrom must be at least 1000, got 999." },
        { "MusicDna:Bootstrap:TrainWhenNoModel=maybe", "MusicDna:Bootstrap:TrainWhenNoModel cannot be 'maybe': it must be true or false." },
        { "MusicDna:Auth:Keys:0:Name=ops", "MusicDna:Auth:Keys:0:Sha256 must be 64 hex digits" },
        { "Kestrel:Endpoints:Grpc:Url=http://[::1", "Kestrel:Endpoints:Grpc:Url must be an http:// or https:// address with a port" },
        { "Kestrel:Endpoints:Grpc:Url=127.0.0.1:5", "Kestrel:Endpoints:Grpc:Url must be an http:// or https:// address with a port" },
        { "Kestrel:Endpoints:Metrics:Url=http://127.0.0.1:99999", "Kestrel:Endpoints:Metrics:Url must be an http:// or https:// address with a port" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_start_up_with_one_sentence_naming_it(string setting, string expected)
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(_data.Path, setting);

        Assert.Equal(1, exitCode);
        var refusal = Assert.Single(output.Split('\n'), line => line.StartsWith("musicdna: cannot start:", StringComparison.Ordinal));
        Assert.Contains(expected, refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_certificate_stops_start_up_with_one_sentence()
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(
            _data.Path,
            $"Kestrel:Endpoints:Grpc:Url=https://127.0.0.1:{LoopbackPort.Free()}",
            $"Kestrel:Endpoints:Grpc:Certificate:Path={_data.File("missing.pfx")}");

        Assert.Equal(1, exitCode);
        var refusal = Assert.Single(output.Split('\n'), line => line.StartsWith("musicdna: cannot start:", StringComparison.Ordinal));
        Assert.Contains("Kestrel:Endpoints:Grpc:Certificate:Path names", refusal, StringComparison.Ordinal);
        Assert.Contains("missing.pfx", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }
}
