using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MusicDna.Catalogue;
using MusicDna.Engine;
using MusicDna.Model;
using MusicDna.Server.Grpc;

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

        services.AddGrpc(options =>
        {
            options.Interceptors.Add<ErrorInterceptor>();
            options.MaxReceiveMessageSize = MaxReceiveMessageBytes;
        });
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

    public static WebApplication MapMusicDna(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<MusicDnaGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
