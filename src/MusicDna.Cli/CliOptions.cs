using System.CommandLine;
using Grpc.Net.Client;
using MusicDna.Contracts.V1;

namespace MusicDna.Cli;

/// <summary>Options every command shares, and the client they build.</summary>
internal static class CliOptions
{
    public static readonly Option<string> Address = CreateAddress();

    public static GrpcChannel Channel(ParseResult parse) =>
        GrpcChannel.ForAddress(parse.GetValue(Address)!, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });

    public static MusicDnaService.MusicDnaServiceClient Client(GrpcChannel channel) => new(channel);

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
