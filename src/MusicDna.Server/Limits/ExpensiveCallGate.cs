using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using MusicDna.Core.Errors;
using MusicDna.Server.Hosting;

namespace MusicDna.Server.Limits;

/// <summary>
/// Admits expensive calls — those the domain marks <c>IsExpensive</c> — within two concurrency limits: per caller
/// (<see cref="ServerLimitsOptions.ExpensiveCallsPerCaller"/>) and over all callers
/// (<see cref="ServerLimitsOptions.ExpensiveCalls"/>). Nothing waits in a queue: a call over either limit is refused at
/// once with RESOURCE_EXHAUSTED (reason EXPENSIVE_CALL_LIMIT) and a retry hint, so no caller can tie up the server's
/// cores with seconds-long scans. Cheap calls pass untouched.
/// </summary>
internal sealed class ExpensiveCallGate : IDisposable
{
    public const string Reason = "EXPENSIVE_CALL_LIMIT";

    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly ServerLimitsOptions _options;

    public ExpensiveCallGate(IOptions<ServerLimitsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        var perCaller = PartitionedRateLimiter.Create<string, string>(caller => RateLimitPartition.GetConcurrencyLimiter(
            caller, _ => new ConcurrencyLimiterOptions { PermitLimit = _options.ExpensiveCallsPerCaller, QueueLimit = 0 }));
        var everyone = PartitionedRateLimiter.Create<string, string>(_ => RateLimitPartition.GetConcurrencyLimiter(
            "", _ => new ConcurrencyLimiterOptions { PermitLimit = _options.ExpensiveCalls, QueueLimit = 0 }));
        _limiter = PartitionedRateLimiter.CreateChained(perCaller, everyone);
    }

    /// <summary>A permit to hold for the call's duration: none is needed for a cheap call.</summary>
    /// <exception cref="CapacityExceededException">The caller, or the server as a whole, is at its limit.</exception>
    public IDisposable Enter(bool expensive, string caller)
    {
        if (!expensive)
        {
            return NoPermit.Instance;
        }

        var lease = _limiter.AttemptAcquire(caller);
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        throw new CapacityExceededException(
            Reason,
            $"Too many expensive calls at once (at most {_options.ExpensiveCallsPerCaller} per caller, {_options.ExpensiveCalls} in all): retry shortly, or narrow the call (a genre for FindGenreBenders, fewer best-score seeds).",
            _options.ExpensiveCallRetryAfter);
    }

    public void Dispose() => _limiter.Dispose();

    private sealed class NoPermit : IDisposable
    {
        public static readonly NoPermit Instance = new();

        public void Dispose()
        {
        }
    }
}
