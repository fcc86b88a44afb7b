namespace MusicDna.Server.Hosting;

/// <summary>
/// Checks Kestrel's endpoint settings before the host is built, so a mistyped address or a missing certificate is
/// refused with a sentence naming its key (Kestrel itself would accept some malformed URLs, or fail without naming
/// the setting).
/// </summary>
public static class EndpointSettings
{
    private const string Section = "Kestrel:Endpoints";

    /// <summary>The first problem found, as a sentence naming the key, or null when every endpoint is usable.</summary>
    public static string? Check(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var endpoint in configuration.GetSection(Section).GetChildren())
        {
            var key = $"{Section}:{endpoint.Key}";
            var url = endpoint["Url"];
            if (url is null)
            {
                return $"{key}:Url is missing: every endpoint needs an address such as http://127.0.0.1:50051.";
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.IsDefaultPort && !HasExplicitPort(url))
            {
                return $"{key}:Url must be an http:// or https:// address with a port, e.g. http://127.0.0.1:50051, got '{url}'.";
            }

            foreach (var file in new[] { "Certificate:Path", "Certificate:KeyPath" })
            {
                if (endpoint[file] is { Length: > 0 } path && !File.Exists(path))
                {
                    return $"{key}:{file} names '{path}', which does not exist or cannot be read.";
                }
            }
        }

        return null;
    }

    // Uri reports port 80 for both "http://host" and "http://host:80"; only the second names its port.
    private static bool HasExplicitPort(string url)
    {
        var authority = url[(url.IndexOf("//", StringComparison.Ordinal) + 2)..];
        var end = authority.IndexOfAny(['/', '?', '#']);
        authority = end < 0 ? authority : authority[..end];
        return authority.LastIndexOf(':') > authority.LastIndexOf(']');
    }
}
