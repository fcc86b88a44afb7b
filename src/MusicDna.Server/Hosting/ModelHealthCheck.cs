using Microsoft.Extensions.Diagnostics.HealthChecks;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Server.Hosting;

/// <summary>The MusicDna service is SERVING only once a model is loaded: before that Embed and Recommend refuse.</summary>
internal sealed class ModelHealthCheck(ModelSnapshotHolder snapshots) : IHealthCheck
{
    public const string Tag = "model";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var version = snapshots.CurrentVersion;
        return Task.FromResult(version > 0
            ? HealthCheckResult.Healthy($"model {version} serving")
            : HealthCheckResult.Unhealthy("no model trained yet"));
    }
}
