using System.Security.Authentication;
using System.Security.Cryptography;

namespace MusicDna.Server.Hosting;

/// <summary>
/// Builds and runs the MusicDna server from command-line arguments until it is shut down. One entry point for the
/// server's own executable and for `musicdna serve`, so both read the same configuration the same way.
/// </summary>
public static class MusicDnaServerHost
{
    /// <returns>The process exit code: 0 after a clean shutdown, 1 when a setting or the data directory is refused.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        // Content root = the build output, so appsettings.json and seed/ are found from any working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddMusicDna();

        await using var app = builder.Build();
        if (!app.VerifyStartup())
        {
            return 1;
        }

        app.MapMusicDna();
        try
        {
            await app.StartAsync();
        }
        catch (Exception e) when (IsStartupRefusal(e))
        {
            // Kestrel's own settings (endpoint URLs, certificates) are read when it starts.
            MusicDnaHostingExtensions.Refuse(e.Message);
            return 1;
        }

        await app.WaitForShutdownAsync();
        return 0;
    }

    private static bool IsStartupRefusal(Exception e) =>
        e is IOException or UriFormatException or FormatException or InvalidOperationException or CryptographicException
            or AuthenticationException or UnauthorizedAccessException or ArgumentException or NotSupportedException;
}
