using System.Text.RegularExpressions;

namespace MusicDna.Server.Hosting;

/// <summary>
/// Turns the configuration binder's refusal of a value (e.g. <c>--MusicDna:Auth:Mode=Off</c>, which would otherwise
/// end the process with an unhandled exception) into one sentence naming the key and the values it accepts.
/// </summary>
internal static partial class ConfigurationBindingError
{
    /// <summary>The sentence, or null when <paramref name="error"/> is not a binding failure.</summary>
    public static string? Describe(InvalidOperationException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var match = BinderMessage().Match(error.Message);
        if (!match.Success)
        {
            return null;
        }

        var (value, key, typeName) = (match.Groups["value"].Value, match.Groups["key"].Value, match.Groups["type"].Value);
        return $"{key} cannot be '{value}': it must be {Accepted(typeName)}.";
    }

    private static string Accepted(string typeName)
    {
        var type = Type.GetType(typeName) ?? typeof(ConfigurationBindingError).Assembly.GetType(typeName);
        return type switch
        {
            { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type)),
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(TimeSpan) => "a time span such as 00:00:30",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(double) => "a number",
            _ => $"a {type?.Name ?? typeName}",
        };
    }

    [GeneratedRegex(@"Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex BinderMessage();
}
