using System.CommandLine;
using Grpc.Net.Client;
using MusicDna.Contracts.V1;

namespace MusicDna.Cli;

/// <summary>Options every command shares, and the client they build.</summary>
internal static class CliOptions
{
    public static readonly Option<Uri> Address = new("--address")
    {
        Description = "Server address (env MUSICDNA_ADDRESS)",
        Recursive = true,
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("MUSICDNA_ADDRESS") ?? "http://127.0.0.1:50051"),
    };

    public static GrpcChannel Channel(ParseResult parse) =>
        GrpcChannel.ForAddress(parse.GetValue(Address)!, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });

    public static MusicDnaService.MusicDnaServiceClient Client(GrpcChannel channel) => new(channel);
}
