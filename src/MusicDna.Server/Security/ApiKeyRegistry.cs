using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using MusicDna.Server.Methods;

namespace MusicDna.Server.Security;

/// <summary>The configured keys (validated at start-up by <see cref="AuthOptionsValidator"/>), looked up by the hash of what a caller presents.</summary>
public sealed class ApiKeyRegistry
{
    public const string ReaderRole = "reader";
    public const string AdminRole = "admin";

    private readonly Dictionary<string, (string Name, CallerRole Role)> _byHash;

    public ApiKeyRegistry(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Mode = options.Value.Mode;
        _byHash = new Dictionary<string, (string, CallerRole)>(StringComparer.Ordinal);
        foreach (var key in options.Value.Keys)
        {
            _byHash[NormaliseHash(key.Sha256)] = (key.Name, ParseRole(key.Role)!.Value);
        }
    }

    public AuthMode Mode { get; }

    public int Count => _byHash.Count;

    /// <summary>The configuration spelling of a role.</summary>
    public static string RoleName(CallerRole role) => role == CallerRole.Admin ? AdminRole : ReaderRole;

    /// <summary>A configured role name → its role; null for anything else.</summary>
    public static CallerRole? ParseRole(string? name) => name switch
    {
        ReaderRole => CallerRole.Reader,
        AdminRole => CallerRole.Admin,
        _ => null,
    };

    internal static string NormaliseHash(string hash) => hash.Trim().ToLowerInvariant();

    /// <summary>The key's name and role, or null for an unknown key. Compares hashes, never raw keys.</summary>
    public (string Name, CallerRole Role)? Find(string presentedKey)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey))).ToLower(CultureInfo.InvariantCulture);
        return _byHash.TryGetValue(hash, out var entry) ? entry : null;
    }
}
