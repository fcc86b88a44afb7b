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
        if (EndpointSettings.Check(builder.Configuration) is { } endpointProblem)
        {
            return StartupRefusal.Refuse(endpointProblem);
        }

        WebApplication app;
        try
        {
            // Building creates Kestrel, which reads its options (and the limits they are made from).
            app = builder.Build();
        }
        catch (Exception e) when (StartupRefusal.Describe(e) is { } reason)
        {
            return StartupRefusal.Refuse(reason);
        }

        await using (app)
        {
            if (!app.VerifyStartup())
            {
                return 1;
            }

            app.MapMusicDna();
            try
            {
                await app.StartAsync();
            }
            catch (Exception e) when (StartupRefusal.DescribeStart(e) is { } reason)
            {
                return StartupRefusal.Refuse(reason);
            }

            await app.WaitForShutdownAsync();
        }

        return 0;
    }
}
