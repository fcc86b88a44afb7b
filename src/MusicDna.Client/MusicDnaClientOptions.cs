using System.ComponentModel.DataAnnotations;

namespace MusicDna.Client;

/// <summary>Where the server is and how hard the client tries. Bind from configuration ("MusicDnaClient") or set in code.</summary>
public sealed class MusicDnaClientOptions
{
    public const string SectionName = "MusicDnaClient";

    /// <summary>The server, e.g. http://127.0.0.1:50051.</summary>
    [Required]
    public Uri Address { get; set; } = new("http://127.0.0.1:50051");

    /// <summary>API key sent as <c>authorization: Bearer &lt;key&gt;</c> with every call; null when the server has authentication off.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Deadline of one Embed or Recommend attempt. Train and BulkIngest have none: they run as long as the work.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt of an idempotent call (Embed, Recommend) on UNAVAILABLE or DEADLINE_EXCEEDED.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; later ones double, with jitter so clients do not retry in step.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Share of failed calls, within <see cref="BreakerSamplingDuration"/>, that opens the circuit.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Fewest calls in the sampling window before the breaker may open.</summary>
    [Range(2, int.MaxValue)]
    public int BreakerMinimumThroughput { get; set; } = 10;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an open circuit fails calls at once before letting one through to probe.</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
