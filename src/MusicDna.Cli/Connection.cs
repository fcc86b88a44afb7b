using System.CommandLine;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using MusicDna.Client;

namespace MusicDna.Cli;

/// <summary>
/// One command's connection to a server: the typed <see cref="MusicDnaClient"/> (registered as any application would,
/// with its Polly pipeline and the API key from <c>--api-key</c>) and a plain channel for the health service.
/// </summary>
internal sealed class Connection : IDisposable
{
    // Feeds of 1,000 rows with explanations are larger than gRPC's 4 MiB default.
    private const int MaxReceiveMessageBytes = 64 * 1024 * 1024;

    // A command waits as long as a person would for one call (FindGenreBenders over a whole catalogue takes seconds).
    private static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(5);

    private readonly ServiceProvider _services;

    private Connection(ParseResult parse)
    {
        var address = new Uri(parse.GetValue(CliOptions.Address)!);
        var apiKey = parse.GetValue(CliOptions.ApiKey);
        var services = new ServiceCollection();
        services.AddMusicDnaClient(o =>
            {
                o.Address = address;
                o.ApiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey;
                o.CallTimeout = CallTimeout;
            })
            .ConfigureChannel(o => o.MaxReceiveMessageSize = MaxReceiveMessageBytes);
        _services = services.BuildServiceProvider();
        Client = _services.GetRequiredService<MusicDnaClient>();
        HealthChannel = GrpcChannel.ForAddress(address);
    }

    public MusicDnaClient Client { get; }

    /// <summary>For the standard health service, which needs no key.</summary>
    public GrpcChannel HealthChannel { get; }

    public static Connection Open(ParseResult parse) => new(parse);

    public void Dispose()
    {
        HealthChannel.Dispose();
        _services.Dispose();
    }
}
