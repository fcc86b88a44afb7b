using Grpc.AspNetCore.Web;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace MusicDna.Server.Hosting;

/// <summary>
/// MusicDna Explorer, the web page that draws the sonic map and streams feeds: its built files (explorer/ beside the
/// server, from scripts/setup.sh) as static files, and gRPC-Web so the page can call the MusicDna service itself.
/// gRPC-Web is accepted over HTTP/1.x only, so in the default configuration it is the HTTP/1.1 endpoint (the one
/// serving /metrics) that serves the page, while the native gRPC endpoint stays HTTP/2-only gRPC exactly as before.
/// The page's calls pass the same interceptors (authentication, roles, time limits) as any other client's.
/// </summary>
public static class ExplorerHosting
{
    /// <summary>The folder under the server's build output holding the built page.</summary>
    public const string FolderName = "explorer";

    // The page fetches nothing from anywhere else: scripts, styles, images and its gRPC-Web calls are same-origin.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static WebApplication UseMusicDnaExplorer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(RefuseGrpcWebOverHttp2);
        app.UseGrpcWeb();

        var folder = Path.Combine(AppContext.BaseDirectory, FolderName);
        if (File.Exists(Path.Combine(folder, "index.html")))
        {
            var files = new PhysicalFileProvider(folder);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                ContentTypeProvider = new FileExtensionContentTypeProvider(),
                OnPrepareResponse = context =>
                {
                    var headers = context.Context.Response.Headers;
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                    headers.XContentTypeOptions = "nosniff";
                },
            });
        }
        else
        {
            app.MapGet("/", () => Results.Text(
                "MusicDna Explorer is not built here: run scripts/setup.sh (it builds explorer/ with Vite).\n",
                statusCode: StatusCodes.Status404NotFound));
        }

        return app;
    }

    private static Task RefuseGrpcWebOverHttp2(HttpContext context, RequestDelegate next)
    {
        if (IsGrpcWeb(context.Request) && !HttpProtocol.IsHttp10(context.Request.Protocol) && !HttpProtocol.IsHttp11(context.Request.Protocol))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return context.Response.WriteAsync("gRPC-Web is served over HTTP/1.1 only (the endpoint that serves the Explorer page).\n");
        }

        return next(context);
    }

    private static bool IsGrpcWeb(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc-web", StringComparison.OrdinalIgnoreCase);
}
