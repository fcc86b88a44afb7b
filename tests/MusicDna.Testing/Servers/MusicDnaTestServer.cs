using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using MusicDna.Contracts.V1;
using MusicDna.Server.Hosting;

namespace MusicDna.Testing;

/// <summary>
/// The real MusicDna server (same registrations as Program.cs) on Kestrel at 127.0.0.1 on a free port,
/// over a data directory of the test's choosing, with a generated gRPC client bound to it.
/// </summary>
public sealed class MusicDnaTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MusicDnaTestServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
        Client = new MusicDnaService.MusicDnaServiceClient(Channel);
    }

    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    public MusicDnaService.MusicDnaServiceClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="dataDirectory">The data directory.</param>
    /// <param name="settings">Configuration on top of the test defaults.</param>
    /// <param name="port">The loopback port; 0 picks a free one.</param>
    /// <param name="logging">More logging set-up, e.g. a provider that records what the server writes.</param>
    public static async Task<MusicDnaTestServer> StartAsync(
        string dataDirectory, IDictionary<string, string?>? settings = null, int port = 0, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = dataDirectory, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MusicDna:DataDirectory"] = dataDirectory,
            ["MusicDna:Bootstrap:CatalogueCsv"] = "",
            ["MusicDna:Bootstrap:TrainWhenNoModel"] = "false",
            ["MusicDna:Auth:Mode"] = "Disabled", // AuthTests turn it on
            ["Logging:LogLevel:MusicDna.Server.Security"] = "Error",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.AddMusicDna();
        var app = builder.Build();
        if (!app.VerifyStartup())
        {
            await app.DisposeAsync();
            throw new InvalidOperationException("The server refused its settings or data directory (see standard error).");
        }

        app.MapMusicDna();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new MusicDnaTestServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
