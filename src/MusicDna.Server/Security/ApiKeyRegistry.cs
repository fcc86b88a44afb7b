using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace MusicDna.Server.Security;

/// <summary>The configured keys, validated at start-up, looked up by the hash of what a caller presents.</summary>
public sealed class ApiKeyRegistry
{
    public const string ReaderRole = "reader";
    public const string AdminRole = "admin";

    private readonly Dictionary<string, (string Name, string Role)> _byHash;

    public ApiKeyRegistry(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Mode = options.Value.Mode;
        _byHash = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var key in options.Value.Keys)
        {
            var hash = key.Sha256.Trim().ToLowerInvariant();
            if (hash.Length != 64 || !hash.All(Uri.IsHexDigit))
            {
                throw new OptionsValidationException(AuthOptions.SectionName, typeof(AuthOptions),
                    [$"key '{key.Name}': Sha256 must be 64 hex digits (printf %s \"$KEY\" | sha256sum)"]);
            }

            if (key.Role is not (ReaderRole or AdminRole))
            {
                throw new OptionsValidationException(AuthOptions.SectionName, typeof(AuthOptions),
                    [$"key '{key.Name}': Role must be '{ReaderRole}' or '{AdminRole}', got '{key.Role}'"]);
            }

            _byHash[hash] = (key.Name, key.Role);
        }
    }

    public AuthMode Mode { get; }

    public int Count => _byHash.Count;

    /// <summary>The key's name and role, or null for an unknown key. Compares hashes, never raw keys.</summary>
    public (string Name, string Role)? Find(string presentedKey)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey))).ToLower(CultureInfo.InvariantCulture);
        return _byHash.TryGetValue(hash, out var entry) ? entry : null;
    }
}
