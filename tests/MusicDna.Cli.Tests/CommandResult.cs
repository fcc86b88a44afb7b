using System.Text.Json;

namespace MusicDna.Cli.Tests;

/// <summary>What one `musicdna` run did: its exit code and its two output streams.</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output read as JSON Lines: every non-empty line must be one JSON object.</summary>
    public IReadOnlyList<JsonElement> JsonLines() =>
        [.. Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)];

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
