using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Playwright;
using MusicDna.Contracts.V1;

namespace MusicDna.Explorer.Tests;

/// <summary>
/// One real server process for the class (the build in src/MusicDna.Server/bin, which carries the built page), with
/// API keys on, a small catalogue of the sample's genres ingested and a model trained; and one headless Debian
/// chromium driven by Playwright. Every endpoint is on a free loopback port; all of it stops at the end, also when a
/// test or this set-up fails.
/// </summary>
public sealed class ExplorerServer : IAsyncLifetime, IDisposable
{
    public const string ReaderKey = "explorer-tests-reader-key";
    public const string AdminKey = "explorer-tests-admin-key";
    public const int CatalogueSize = 1200;
    private const string Chromium = "/usr/bin/chromium";

    private readonly TempDirectory _data = new();
    private ServerProcess? _server;
    private IPlaywright? _playwright;

    /// <summary>The HTTP/1.1 endpoint: the page, gRPC-Web and /metrics.</summary>
    public Uri PageAddress { get; private set; } = null!;

    /// <summary>The native gRPC endpoint (HTTP/2 only).</summary>
    public Uri GrpcAddress { get; private set; } = null!;

    public IReadOnlyList<Track> Tracks { get; } = SampleCatalogue.Slice(CatalogueSize);

    /// <summary>A native gRPC client with the reader's key, to compare the page with the service it calls.</summary>
    public MusicDnaService.MusicDnaServiceClient Reader { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var pagePort = LoopbackPort.Free();
        try
        {
            _server = await ServerProcess.StartAsync(
                _data.Path,
                0,
                $"Kestrel:Endpoints:Metrics:Url=http://127.0.0.1:{pagePort}",
                "MusicDna:Auth:Mode=ApiKeys",
                "MusicDna:Auth:Keys:0:Name=explorer-admin",
                "MusicDna:Auth:Keys:0:Role=admin",
                $"MusicDna:Auth:Keys:0:Sha256={Sha256(AdminKey)}",
                "MusicDna:Auth:Keys:1:Name=explorer-reader",
                "MusicDna:Auth:Keys:1:Role=reader",
                $"MusicDna:Auth:Keys:1:Sha256={Sha256(ReaderKey)}");
            PageAddress = new Uri($"http://127.0.0.1:{pagePort}/");
            GrpcAddress = new Uri($"http://127.0.0.1:{_server.Port}");
            var admin = new MusicDnaService.MusicDnaServiceClient(_server.Channel.Intercept(WithKey(AdminKey)));
            await admin.IngestAsync(Tracks);
            await admin.TrainAsync(new TrainRequest { Epochs = 5, Seed = 7 });
            Reader = new MusicDnaService.MusicDnaServiceClient(_server.Channel.Intercept(WithKey(ReaderKey)));

            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
            });
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh page of the Explorer, with <paramref name="apiKey"/> entered (null: none), once its map loaded or failed.</summary>
    public async Task<IPage> OpenAsync(string? apiKey = ReaderKey, Uri? address = null, int width = 1500, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync((address ?? PageAddress).ToString());
        if (apiKey is not null)
        {
            await page.FillAsync("#api-key", apiKey);
            await page.ClickAsync("#key-form button[type=submit]");
        }

        return page;
    }

    public string ServerOutput => _server?.Output ?? "";

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Dispose();
    }

    public void Dispose() => _data.Dispose();

    private static Func<Metadata, Metadata> WithKey(string key) => metadata =>
    {
        metadata.Add("authorization", $"Bearer {key}");
        return metadata;
    };

    private static string Sha256(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
