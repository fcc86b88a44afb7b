namespace MusicDna.Server.Hosting;

/// <summary>Runs the replica's follower of the shared catalogue for the server's lifetime (nothing with SQLite).</summary>
internal sealed class ReplicaFollowerService(CatalogueReplication replication) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        replication.Follower?.FollowAsync(stoppingToken) ?? Task.CompletedTask;
}
