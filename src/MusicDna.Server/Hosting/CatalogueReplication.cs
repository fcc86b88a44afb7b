using Microsoft.Extensions.Options;
using MusicDna.Engine.Replication;

namespace MusicDna.Server.Hosting;

/// <summary>
/// Whether this server follows a shared catalogue: with PostgreSQL it has a <see cref="ReplicaFollower"/>, created on
/// first use; the embedded SQLite catalogue has one writer, this process, and nothing to follow.
/// </summary>
internal sealed class CatalogueReplication(IOptions<CatalogueOptions> options, IServiceProvider services)
{
    private readonly Lazy<ReplicaFollower?> _follower = new(() =>
        options.Value.Provider == CatalogueProvider.PostgreSql ? services.GetRequiredService<ReplicaFollower>() : null);

    public ReplicaFollower? Follower => _follower.Value;
}
