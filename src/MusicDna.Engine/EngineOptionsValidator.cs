using Microsoft.Extensions.Options;

namespace MusicDna.Engine;

/// <summary>Checks the "MusicDna" section at start-up; each failure names the key it is about.</summary>
public sealed class EngineOptionsValidator : IValidateOptions<EngineOptions>
{
    public const int MaxSearchThreads = 256;
    public const int MinTrainingTracks = 10;
    public const int MaxEmbeddingBatchSize = 1_000_000;

    // Below this an inverted file has too few vectors per list to train on and nothing to gain over the exact scan.
    public const long MinApproximateIndexFrom = 1_000;

    public ValidateOptionsResult Validate(string? name, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var section = EngineOptions.SectionName;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add($"{section}:DataDirectory must name a folder, got nothing.");
        }
        else if (options.DataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"{section}:DataDirectory holds a character no path may contain.");
        }

        if (options.SearchThreads is < 1 or > MaxSearchThreads)
        {
            failures.Add($"{section}:SearchThreads must be between 1 and {MaxSearchThreads}, got {options.SearchThreads}.");
        }

        if (options.MinimumTrainingTracks < MinTrainingTracks)
        {
            failures.Add($"{section}:MinimumTrainingTracks must be at least {MinTrainingTracks}, got {options.MinimumTrainingTracks}.");
        }

        if (options.EmbeddingBatchSize is < 1 or > MaxEmbeddingBatchSize)
        {
            failures.Add($"{section}:EmbeddingBatchSize must be between 1 and {MaxEmbeddingBatchSize}, got {options.EmbeddingBatchSize}.");
        }

        if (options.ApproximateIndexFrom < MinApproximateIndexFrom)
        {
            failures.Add($"{section}:ApproximateIndexFrom must be at least {MinApproximateIndexFrom}, got {options.ApproximateIndexFrom}.");
        }

        if (!string.IsNullOrWhiteSpace(options.PageTokenKey))
        {
            var key = new byte[options.PageTokenKey.Length];
            if (!Convert.TryFromBase64String(options.PageTokenKey.Trim(), key, out var length) || length < Recommend.PageTokenKey.MinBytes)
            {
                failures.Add($"{section}:PageTokenKey must be base64 of at least {Recommend.PageTokenKey.MinBytes} bytes (e.g. head -c 32 /dev/urandom | base64).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
