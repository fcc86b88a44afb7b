namespace MusicDna.Server.Hosting;

/// <summary>Server-side limits beyond message size. Bound from "MusicDna:Limits"; checked at start-up.</summary>
public sealed class ServerLimitsOptions
{
    public const string SectionName = "MusicDna:Limits";

    public static readonly TimeSpan MaxReadCallTimeout = TimeSpan.FromDays(1);
    public const int MaxStreamsPerConnectionLimit = 10_000;

    /// <summary>
    /// Longest a read call (see <c>MethodRules</c>) may run, whatever deadline the client set (or none): past it the
    /// call ends with DEADLINE_EXCEEDED and its work stops. Train and BulkIngest run as long as their work.
    /// </summary>
    public TimeSpan ReadCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Concurrent calls (HTTP/2 streams) one client connection may have open; more wait for a free slot.</summary>
    public int MaxConcurrentStreamsPerConnection { get; set; } = 100;

    /// <summary>
    /// Expensive calls (a catalogue-wide FindGenreBenders, a best-score Recommend over many seeds) one caller may
    /// have running at once; one more is RESOURCE_EXHAUSTED with a retry hint.
    /// </summary>
    public int ExpensiveCallsPerCaller { get; set; } = 1;

    /// <summary>Expensive calls running at once over all callers, so a crowd of callers cannot take the server either.</summary>
    public int ExpensiveCalls { get; set; } = 2;

    /// <summary>The retry hint sent with a refused expensive call.</summary>
    public TimeSpan ExpensiveCallRetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}
