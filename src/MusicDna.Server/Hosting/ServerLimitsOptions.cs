namespace MusicDna.Server.Hosting;

/// <summary>Server-side limits beyond message size. Bound from "MusicDna:Limits".</summary>
public sealed class ServerLimitsOptions
{
    public const string SectionName = "MusicDna:Limits";

    /// <summary>
    /// Longest an Embed, Recommend or FindGenreBenders call may run, whatever deadline the client set (or none):
    /// past it the call ends with DEADLINE_EXCEEDED and its work stops. Train and BulkIngest run as long as their work.
    /// </summary>
    public TimeSpan ReadCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Concurrent calls (HTTP/2 streams) one client connection may have open; more wait for a free slot.</summary>
    public int MaxConcurrentStreamsPerConnection { get; set; } = 100;
}
