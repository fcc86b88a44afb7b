using Microsoft.Extensions.Options;
using Npgsql;

namespace MusicDna.Server.Hosting;

/// <summary>Checks "MusicDna:Catalogue" at start-up; each failure names the key it is about.</summary>
internal sealed class CatalogueOptionsValidator : IValidateOptions<CatalogueOptions>
{
    public ValidateOptionsResult Validate(string? name, CatalogueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var section = CatalogueOptions.SectionName;
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Provider))
        {
            failures.Add($"{section}:Provider must be one of {string.Join(", ", Enum.GetNames<CatalogueProvider>())}.");
        }

        if (options.Provider == CatalogueProvider.PostgreSql)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                failures.Add($"{section}:ConnectionString is required with Provider PostgreSql, e.g. Host=db;Port=5432;Database=musicdna;Username=musicdna.");
            }
            else if (Describe(options.ConnectionString) is { } problem)
            {
                failures.Add($"{section}:ConnectionString is not a PostgreSQL connection string ({problem}).");
            }
        }
        else if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{section}:ConnectionString applies to Provider PostgreSql only; the SQLite catalogue lives in MusicDna:DataDirectory.");
        }

        if (options.ConnectTimeout < TimeSpan.Zero || options.ConnectTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{section}:ConnectTimeout must be 0 to 1 hour (e.g. 00:00:30), got {options.ConnectTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // Npgsql's own parser; its messages name the keyword, never the value (which may be a password).
    private static string? Describe(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(builder.Host) ? "it names no Host" : null;
        }
        catch (ArgumentException e)
        {
            return e.Message.Split('\n', 2)[0].TrimEnd('.');
        }
        catch (FormatException)
        {
            return "a value has the wrong format";
        }
    }
}
