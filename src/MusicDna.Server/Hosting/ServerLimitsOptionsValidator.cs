using Microsoft.Extensions.Options;

namespace MusicDna.Server.Hosting;

/// <summary>Checks "MusicDna:Limits" at start-up; each failure names the key it is about.</summary>
internal sealed class ServerLimitsOptionsValidator : IValidateOptions<ServerLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerLimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ReadCallTimeout <= TimeSpan.Zero || options.ReadCallTimeout > ServerLimitsOptions.MaxReadCallTimeout)
        {
            failures.Add($"{ServerLimitsOptions.SectionName}:ReadCallTimeout must be more than 0 and at most 1 day (e.g. 00:00:30), got {options.ReadCallTimeout}.");
        }

        if (options.MaxConcurrentStreamsPerConnection is < 1 or > ServerLimitsOptions.MaxStreamsPerConnectionLimit)
        {
            failures.Add($"{ServerLimitsOptions.SectionName}:MaxConcurrentStreamsPerConnection must be between 1 and {ServerLimitsOptions.MaxStreamsPerConnectionLimit}, got {options.MaxConcurrentStreamsPerConnection}.");
        }

        if (options.ExpensiveCallsPerCaller is < 1 or > 1000)
        {
            failures.Add($"{ServerLimitsOptions.SectionName}:ExpensiveCallsPerCaller must be between 1 and 1000, got {options.ExpensiveCallsPerCaller}.");
        }

        if (options.ExpensiveCalls < options.ExpensiveCallsPerCaller || options.ExpensiveCalls > 10_000)
        {
            failures.Add($"{ServerLimitsOptions.SectionName}:ExpensiveCalls must be at least ExpensiveCallsPerCaller ({options.ExpensiveCallsPerCaller}) and at most 10000, got {options.ExpensiveCalls}.");
        }

        if (options.ExpensiveCallRetryAfter <= TimeSpan.Zero || options.ExpensiveCallRetryAfter > TimeSpan.FromHours(1))
        {
            failures.Add($"{ServerLimitsOptions.SectionName}:ExpensiveCallRetryAfter must be more than 0 and at most 1 hour, got {options.ExpensiveCallRetryAfter}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
