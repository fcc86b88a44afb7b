using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using MusicDna.Catalogue;
using MusicDna.Engine;
using MusicDna.Engine.Bridges;
using MusicDna.Engine.Deletes;
using MusicDna.Engine.Embedding;
using MusicDna.Engine.GenreBenders;
using MusicDna.Engine.Ingest;
using MusicDna.Engine.Playlists;
using MusicDna.Engine.Map;
using MusicDna.Engine.Recommend;
using MusicDna.Engine.Search;
using MusicDna.Engine.Snapshots;
using MusicDna.Engine.Training;
using MusicDna.Server.Grpc;
using MusicDna.Server.Methods;
using MusicDna.Server.Security;

namespace MusicDna.Server.Hosting;

/// <summary>Registers and maps everything the MusicDna server needs (eShop style: Program.cs stays ten lines).</summary>
public static class MusicDnaHostingExtensions
{
    /// <summary>The gRPC health service name whose status follows whether a model is serving.</summary>
    public const string HealthServiceName = "musicdna.v1.MusicDnaService";

    public static IHostApplicationBuilder AddMusicDna(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        // Every options class is bound, validated by its IValidateOptions (each failure a sentence naming the key) and
        // checked before the server starts (VerifyStartup).
        AddValidatedOptions<EngineOptions, EngineOptionsValidator>(services, EngineOptions.SectionName);
        AddValidatedOptions<BootstrapOptions, BootstrapOptionsValidator>(services, BootstrapOptions.SectionName);
        AddValidatedOptions<AuthOptions, AuthOptionsValidator>(services, AuthOptions.SectionName);
        AddValidatedOptions<ServerLimitsOptions, ServerLimitsOptionsValidator>(services, ServerLimitsOptions.SectionName);
        // One bool: the binder's own check (run by VerifyStartup) is all it needs.
        services.AddOptions<Bench.BenchOptions>().BindConfiguration(Bench.BenchOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Bench.ReferenceFeedService>();
        AddValidatedOptions<CatalogueOptions, CatalogueOptionsValidator>(services, CatalogueOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<EngineOptions>>().Value);

        services.AddMusicDnaCatalogue();
        services.AddSingleton<ModelSnapshotHolder>();
        services.AddSingleton<ServingPublisher>();
        services.AddSingleton<EngineCounters>();
        services.AddSingleton<Ingestor>();
        services.AddSingleton<TrainingWorkflow>();
        services.AddSingleton<TrackDeleter>();
        services.AddSingleton<Recommender>();
        services.AddSingleton<GenreBenderFinder>();
        services.AddSingleton<PlaylistOrderer>();
        services.AddSingleton<BridgeBuilder>();
        services.AddSingleton<Embedder>();
        services.AddSingleton<TrackSearcher>();
        services.AddSingleton<SonicMapReader>();
        services.AddHostedService<EngineStartupService>();
        services.AddHostedService<ReplicaFollowerService>();

        // Metrics: Prometheus text at /metrics (any endpoint; scrape over HTTP/1.1 on a second endpoint, see README).
        services.AddSingleton<MusicDnaMetrics>();
        // Traces: one span per gRPC call (ASP.NET Core) with the engine's spans inside it, exported over OTLP when the
        // standard OTEL_EXPORTER_OTLP_ENDPOINT is set. Without it no tracer is registered: the spans are made only for
        // in-process listeners (an ActivityListener, dotnet-trace), since a tracer with nowhere to send them would
        // still record every call's spans.
        var exportTraces = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter(MusicDnaMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddPrometheusExporter());
        if (exportTraces)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(EngineTracing.SourceName).AddAspNetCoreInstrumentation().AddOtlpExporter());
        }

        services.AddSingleton<ApiKeyRegistry>();
        services.AddSingleton<Limits.ExpensiveCallGate>();
        services.AddSingleton(_ => MethodRules.ForMusicDnaService());
        // The service and its interceptors hold no per-call state: registered once, grpc-dotnet reuses them instead of
        // constructing each (with its dependencies) for every call.
        services.AddSingleton<MusicDnaGrpcService>();
        services.AddSingleton<ErrorInterceptor>();
        services.AddSingleton<AuthInterceptor>();
        services.AddSingleton<CallTimeLimitInterceptor>();
        services.AddGrpc(options =>
            {
                options.Interceptors.Add<ErrorInterceptor>();
                options.MaxReceiveMessageSize = StrictMessageBinder.FrameworkMaxRequestBytes;
            })
            // Authentication guards the MusicDna service only: health, reflection and metrics stay open.
            .AddServiceOptions<MusicDnaGrpcService>(options =>
            {
                options.Interceptors.Add<AuthInterceptor>();
                options.Interceptors.Add<CallTimeLimitInterceptor>();
            });
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
    /// Checks everything a bad setting or a bad data directory would break before the server starts: every options
    /// class, the method rules, the API keys, the catalogue (corrupt, foreign or newer-schema files are refused). A
    /// problem is one sentence on standard error and <c>false</c> (the host exits with code 1), not a stack trace.
    /// Logs whether authentication is on.
    /// </summary>
    public static bool VerifyStartup(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            var services = app.Services;
            _ = services.GetRequiredService<IOptions<EngineOptions>>().Value;
            _ = services.GetRequiredService<IOptions<BootstrapOptions>>().Value;
            _ = services.GetRequiredService<IOptions<ServerLimitsOptions>>().Value;
            _ = services.GetRequiredService<IOptions<Bench.BenchOptions>>().Value;
            _ = services.GetRequiredService<IOptions<CatalogueOptions>>().Value;
            _ = services.GetRequiredService<MethodRules>();
            var keys = services.GetRequiredService<ApiKeyRegistry>();
            services.GetRequiredService<ITrackCatalogue>();
            services.GetRequiredService<PageTokenKey>();
            var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("MusicDna.Server.Security");
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
        catch (Exception e) when (StartupRefusal.Describe(e) is { } reason)
        {
            StartupRefusal.Refuse(reason);
            return false;
        }
    }

    private static void AddValidatedOptions<TOptions, TValidator>(IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }

    public static WebApplication MapMusicDna(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The instruments exist once their owner does; /metrics must show them from the first scrape.
        app.Services.GetRequiredService<MusicDnaMetrics>();
        // MusicDna Explorer: its static page, and gRPC-Web for the MusicDna service alone (see ExplorerHosting).
        app.UseMusicDnaExplorer();
        app.MapGrpcService<MusicDnaGrpcService>().EnableGrpcWeb();
        if (app.Services.GetRequiredService<IOptions<Bench.BenchOptions>>().Value.ReferenceFeed)
        {
            app.MapGrpcService<Bench.ReferenceFeedService>();
        }

        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapPrometheusScrapingEndpoint();
        return app;
    }
}
