using Microsoft.Extensions.Options;

namespace MusicDna.Server.Security;

/// <summary>Checks "MusicDna:Auth" at start-up; each failure names the key it is about.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add($"{AuthOptions.SectionName}:Mode must be one of {string.Join(", ", Enum.GetNames<AuthMode>())}, got '{options.Mode}'.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            var path = $"{AuthOptions.SectionName}:Keys:{i}";
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                failures.Add($"{path}:Name must name the key (it appears in logs), got nothing.");
            }

            var hash = ApiKeyRegistry.NormaliseHash(key.Sha256);
            if (hash.Length != 64 || !hash.All(Uri.IsHexDigit))
            {
                failures.Add($"{path}:Sha256 must be 64 hex digits (printf %s \"$KEY\" | sha256sum).");
            }
            else if (!seen.Add(hash))
            {
                failures.Add($"{path}:Sha256 repeats the hash of an earlier key.");
            }

            if (ApiKeyRegistry.ParseRole(key.Role) is null)
            {
                failures.Add($"{path}:Role must be '{ApiKeyRegistry.ReaderRole}' or '{ApiKeyRegistry.AdminRole}', got '{key.Role}'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
