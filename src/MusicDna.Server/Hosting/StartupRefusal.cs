using System.Security.Authentication;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MusicDna.Catalogue;

namespace MusicDna.Server.Hosting;

/// <summary>
/// Why the server cannot start, as one sentence: a bad setting, a refused data directory, or an endpoint Kestrel
/// cannot open. Printed on standard error with exit code 1, never as a stack trace.
/// </summary>
public static class StartupRefusal
{
    /// <summary>The sentence for a failure while the host is built or checked, or null for anything else (a bug).</summary>
    public static string? Describe(Exception error) => error switch
    {
        CatalogueUnavailableException e => e.Message,
        OptionsValidationException e => $"invalid configuration: {string.Join(" ", e.Failures)}",
        InvalidOperationException e when ConfigurationBindingError.Describe(e) is { } sentence => $"invalid configuration: {sentence}",
        _ => null,
    };

    /// <summary>The sentence for a failure while Kestrel opens its endpoints (certificates, addresses, ports).</summary>
    public static string? DescribeStart(Exception error) => Describe(error) ?? error switch
    {
        IOException or UnauthorizedAccessException or CryptographicException or AuthenticationException
            or FormatException or ArgumentException or InvalidOperationException or NotSupportedException
            => $"Kestrel could not open its endpoints: {error.Message}",
        _ => null,
    };

    /// <summary>Prints the reason as one line on standard error; returns the exit code.</summary>
    public static int Refuse(string reason)
    {
        Console.Error.WriteLine($"musicdna: cannot start: {reason}");
        return 1;
    }
}
