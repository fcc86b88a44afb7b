using System.Diagnostics;

namespace MusicDna.Engine;

/// <summary>
/// The engine's trace spans (System.Diagnostics activities, exported by whatever OpenTelemetry set-up the host
/// has): one per Recommend page, Train run, ingest commit and Embed batch, tagged with what an operator asks first.
/// </summary>
public static class EngineTracing
{
    public const string SourceName = "MusicDna";

    internal static readonly ActivitySource Source = new(SourceName);
}
