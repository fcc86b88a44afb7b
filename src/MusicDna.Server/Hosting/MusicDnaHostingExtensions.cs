using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using MusicDna.Catalogue;
using MusicDna.Engine;
using MusicDna.Model;
using MusicDna.Server.Grpc;
using MusicDna.Server.Security;

namespace MusicDna.Server.Hosting;

/// <summary>Registers and maps everything the MusicDna server needs (eShop style: Program.cs stays ten lines).</summary>
public static class MusicDnaHostingExtensions
{
    /// <summary>The gRPC health service name whose status follows whether a model is serving.</summary>
    public const string HealthServiceName = "musicdna.v1.MusicDnaService";

    /// <summary>Largest request message accepted (a full 10,000-track ingest batch is about 2 MB).</summary>
    public const int MaxReceiveMessageBytes = 16 * 1024 * 1024;

    public static IHostApplicationBuilder AddMusicDna(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<EngineOptions>().BindConfiguration(EngineOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<EngineOptions>>().Value);

        services.AddSingleton(sp => TrackCatalogue.Open(sp.GetRequiredService<EngineOptions>().CataloguePath));
        services.AddSingleton(sp => new ModelStore(sp.GetRequiredService<EngineOptions>().ModelsDirectory));
        services.AddSingleton<ModelSnapshotHolder>();
        services.AddSingleton<CatalogueIndexer>();
        services.AddSingleton<TrainingWorkflow>();
        services.AddSingleton<RecommendCounters>();
        services.AddSingleton<Recommender>();
        services.AddSingleton<GenreBenderFinder>();
        services.AddSingleton<Embedder>();
        services.AddHostedService<EngineStartupService>();

        // Metrics: Prometheus text at /metrics (any endpoint; scrape over HTTP/1.1 on a second endpoint, see README).
        services.AddSingleton<MusicDnaMetrics>();
        // Traces: one span per gRPC call (ASP.NET Core) with the engine's spans inside it; exported over OTLP when
        // the standard OTEL_EXPORTER_OTLP_ENDPOINT is set, otherwise left to in-process listeners.
        var exportTraces = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter(MusicDnaMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddPrometheusExporter())
            .WithTracing(tracing =>
            {
                tracing.AddSource(EngineTracing.SourceName).AddAspNetCoreInstrumentation();
                if (exportTraces)
                {
                    tracing.AddOtlpExporter();
                }
            });

        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);
        services.AddSingleton<ApiKeyRegistry>();
        services.AddGrpc(options =>
            {
                options.Interceptors.Add<ErrorInterceptor>();
                options.MaxReceiveMessageSize = MaxReceiveMessageBytes;
            })
            // Authentication guards the MusicDna service only: health, reflection and metrics stay open.
            .AddServiceOptions<MusicDnaGrpcService>(options =>
            {
                options.Interceptors.Add<AuthInterceptor>();
                options.Interceptors.Add<CallTimeLimitInterceptor>();
            });
        services.AddOptions<ServerLimitsOptions>().BindConfiguration(ServerLimitsOptions.SectionName);
        builder.Services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>()
            .Configure<IOptions<ServerLimitsOptions>>((kestrel, limits) =>
                kestrel.Limits.Http2.MaxStreamsPerConnection = limits.Value.MaxConcurrentStreamsPerConnection);
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks(options =>
            {
                options.Services.Map("", registration => !registration.Tags.Contains(ModelHealthCheck.Tag));
                options.Services.Map(HealthServiceName, registration => registration.Tags.Contains(ModelHealthCheck.Tag));
            })
            // The server as a whole is alive as soon as it listens (ingest works without a model).
            .AddCheck("live", () => HealthCheckResult.Healthy())
            .AddCheck<ModelHealthCheck>("model", tags: [ModelHealthCheck.Tag]);
        return builder;
    }

    /// <summary>
    /// Opens the catalogue and reads the API keys before the server starts, so a corrupt, foreign or newer-schema
    /// database or a malformed key is refused with one sentence on standard error (exit code 1) rather than a host
    /// start-up stack trace. Logs whether authentication is on.
    /// </summary>
    public static bool VerifyDataDirectory(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            app.Services.GetRequiredService<TrackCatalogue>();
            var keys = app.Services.GetRequiredService<ApiKeyRegistry>();
            var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MusicDna.Server.Security");
            if (keys.Mode == AuthMode.Disabled)
            {
                ServerLog.AuthDisabled(log);
            }
            else
            {
                ServerLog.AuthEnabled(log, keys.Count);
            }

            return true;
        }
        catch (CatalogueUnavailableException e)
        {
            Console.Error.WriteLine($"musicdna: cannot start: {e.Message}");
            return false;
        }
        catch (OptionsValidationException e)
        {
            Console.Error.WriteLine($"musicdna: cannot start: invalid configuration: {e.Message}");
            return false;
        }
    }

    public static WebApplication MapMusicDna(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<MusicDnaGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapPrometheusScrapingEndpoint();
        return app;
    }
}
