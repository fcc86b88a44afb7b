using Grpc.Core;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace MusicDna.Client;

/// <summary>
/// The one Polly pipeline for idempotent calls: exponential-backoff retries with jitter on transient statuses,
/// inside a circuit breaker that fails fast while the server is down. Train and BulkIngest never use it:
/// retrying them could train twice or re-send a half-sent stream.
/// </summary>
public static class MusicDnaResilience
{
    /// <summary>Statuses worth another attempt: the server was unreachable, or this attempt's deadline passed.</summary>
    public static bool IsTransient(Exception exception) =>
        exception is RpcException { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded };

    public static ResiliencePipeline Create(MusicDnaClientOptions options, Action<RetryAttempt>? onRetry = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var transient = new PredicateBuilder().Handle<RpcException>(e => IsTransient(e));
        var builder = new ResiliencePipelineBuilder();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                OnRetry = args =>
                {
                    onRetry?.Invoke(new RetryAttempt(args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception));
                    return default;
                },
            });
        }

        // The breaker sits inside the retries: each attempt counts, and an open circuit ends the retries at once.
        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
            })
            .Build();
    }
}
