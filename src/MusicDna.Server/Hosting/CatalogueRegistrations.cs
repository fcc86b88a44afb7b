using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MusicDna.Catalogue;
using MusicDna.Engine;
using MusicDna.Engine.Recommend;
using MusicDna.Engine.Replication;
using MusicDna.Model;
using MusicDna.PostgreSql;

namespace MusicDna.Server.Hosting;

/// <summary>
/// The storage seams, filled by the configured backend (<c>MusicDna:Catalogue:Provider</c>): the catalogue, the model
/// store, the training lock and the page-token key. SQLite keeps everything in the data directory; PostgreSQL keeps
/// it in the shared database (the page-token key too, so every replica signs alike) and adds the change feed.
/// </summary>
internal static class CatalogueRegistrations
{
    private const string PageTokenSecret = "page_token_key";

    public static IServiceCollection AddMusicDnaCatalogue(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<CatalogueOptions>>().Value);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<CatalogueOptions>();
            return PostgresDatabase.OpenAsync(options.ConnectionString, options.ConnectTimeout,
                sp.GetRequiredService<ILogger<PostgresDatabase>>()).GetAwaiter().GetResult();
        });
        services.AddSingleton<ITrackCatalogue>(sp => IsShared(sp)
            ? new PostgresTrackCatalogue(sp.GetRequiredService<PostgresDatabase>())
            : TrackCatalogue.Open(sp.GetRequiredService<EngineOptions>().CataloguePath));
        services.AddSingleton<IModelStore>(sp => IsShared(sp)
            ? new PostgresModelStore(sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<EngineOptions>().ModelsDirectory)
            : new ModelStore(sp.GetRequiredService<EngineOptions>().ModelsDirectory));
        services.AddSingleton<ITrainingLock>(sp => IsShared(sp)
            ? new PostgresTrainingLock(sp.GetRequiredService<PostgresDatabase>())
            : new InProcessTrainingLock());
        services.AddSingleton<ICatalogueChangeFeed, PostgresChangeFeed>();
        services.AddSingleton<ReplicaFollower>();
        services.AddSingleton<CatalogueReplication>();
        services.AddSingleton(sp =>
        {
            var engine = sp.GetRequiredService<EngineOptions>();
            if (!IsShared(sp) || !string.IsNullOrWhiteSpace(engine.PageTokenKey))
            {
                return PageTokenKey.From(engine);
            }

            var database = sp.GetRequiredService<PostgresDatabase>();
            var key = database.SharedSecretAsync(PageTokenSecret, RandomNumberGenerator.GetBytes(PageTokenKey.MinBytes)).GetAwaiter().GetResult();
            return new PageTokenKey(key);
        });
        return services;
    }

    private static bool IsShared(IServiceProvider services) =>
        services.GetRequiredService<CatalogueOptions>().Provider == CatalogueProvider.PostgreSql;
}
