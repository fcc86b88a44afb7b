namespace MusicDna.Server.Security;

/// <summary>
/// Who may call MusicDna. Bound from "MusicDna:Auth". Keys are stored as SHA-256 hashes only
/// (<c>printf %s "$KEY" | sha256sum</c>); callers send <c>authorization: Bearer &lt;key&gt;</c>.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "MusicDna:Auth";

    /// <summary>
    /// <see cref="AuthMode.ApiKeys"/> (the default: with no keys configured, every MusicDna call is refused) or
    /// <see cref="AuthMode.Disabled"/>, a development flag that lets every caller train and ingest and logs a warning.
    /// </summary>
    public AuthMode Mode { get; set; } = AuthMode.ApiKeys;

    public IList<ApiKeyOptions> Keys { get; } = [];
}

public enum AuthMode
{
    ApiKeys,
    Disabled,
}

/// <summary>One accepted key: a name for logs, its role, and the hex SHA-256 of the key itself.</summary>
public sealed class ApiKeyOptions
{
    public string Name { get; set; } = "";

    /// <summary><c>reader</c> (the read RPCs) or <c>admin</c> (everything, including Train and BulkIngest); see <c>MethodRules</c>.</summary>
    public string Role { get; set; } = "";

    public string Sha256 { get; set; } = "";
}
