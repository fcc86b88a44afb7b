namespace MusicDna.Server.Hosting;

/// <summary>
/// Builds and runs the MusicDna server from command-line arguments until it is shut down. One entry point for the
/// server's own executable and for `musicdna serve`, so both read the same configuration the same way.
/// </summary>
public static class MusicDnaServerHost
{
    /// <returns>The process exit code: 0 after a clean shutdown, 1 when the data directory is refused.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        // Content root = the build output, so appsettings.json and seed/ are found from any working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddMusicDna();

        await using var app = builder.Build();
        if (!app.VerifyDataDirectory())
        {
            return 1;
        }

        app.MapMusicDna();
        await app.RunAsync();
        return 0;
    }
}
