using System.CommandLine;

namespace MusicDna.Cli;

/// <summary>Options every command shares (the connection they describe is <see cref="Connection"/>).</summary>
internal static class CliOptions
{
    public static readonly Option<string> Address = CreateAddress();

    public static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = "API key sent as 'authorization: Bearer <key>' (env MUSICDNA_API_KEY)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MUSICDNA_API_KEY"),
    };

    /// <summary>Machine output: one JSON object per line (proto3 JSON mapping for server messages) instead of text.</summary>
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Machine-readable output: one JSON object per line instead of text",
        Recursive = true,
    };

    private static Option<string> CreateAddress()
    {
        var address = new Option<string>("--address")
        {
            Description = "Server address, e.g. http://127.0.0.1:50051 (env MUSICDNA_ADDRESS)",
            Recursive = true,
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MUSICDNA_ADDRESS") ?? "http://127.0.0.1:50051",
        };
        address.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                result.AddError($"--address must be an http:// or https:// URL, got '{value}'");
            }
        });
        return address;
    }
}
