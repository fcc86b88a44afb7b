using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MusicDna.Contracts.V1;

namespace MusicDna.Client;

/// <summary>DI registration: <c>services.AddMusicDnaClient(o => o.Address = new Uri("http://musicdna:50051"))</c>.</summary>
public static class MusicDnaClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="MusicDnaClient"/> (transient, as gRPC factory clients are) over a factory-managed
    /// channel, and one shared resilience pipeline, so the circuit breaker sees every call of the process.
    /// </summary>
    /// <returns>The gRPC client builder, for further channel or handler configuration.</returns>
    public static IHttpClientBuilder AddMusicDnaClient(this IServiceCollection services, Action<MusicDnaClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MusicDnaClientOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddKeyedSingleton(MusicDnaClient.PipelineKey, (sp, _) =>
            MusicDnaResilience.Create(sp.GetRequiredService<IOptions<MusicDnaClientOptions>>().Value));
        services.AddTransient<MusicDnaClient>();
        return services
            .AddGrpcClient<MusicDnaService.MusicDnaServiceClient>((sp, factory) =>
                factory.Address = sp.GetRequiredService<IOptions<MusicDnaClientOptions>>().Value.Address)
            .AddInterceptor(sp => new ApiKeyInterceptor(sp.GetRequiredService<IOptions<MusicDnaClientOptions>>().Value.ApiKey));
    }
}
