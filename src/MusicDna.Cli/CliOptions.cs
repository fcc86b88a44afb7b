using System.CommandLine;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using MusicDna.Contracts.V1;

namespace MusicDna.Cli;

/// <summary>Options every command shares, and the client they build.</summary>
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

    private static string? _apiKey;

    public static GrpcChannel Channel(ParseResult parse)
    {
        _apiKey = parse.GetValue(ApiKey);
        return GrpcChannel.ForAddress(parse.GetValue(Address)!, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
    }

    /// <summary>The MusicDna stub over <paramref name="channel"/>, sending the API key (if any) with every call.</summary>
    public static MusicDnaService.MusicDnaServiceClient Client(GrpcChannel channel)
    {
        var key = _apiKey;
        return string.IsNullOrEmpty(key)
            ? new(channel)
            : new(channel.Intercept(metadata =>
            {
                metadata.Add("authorization", $"Bearer {key}");
                return metadata;
            }));
    }

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
