using Microsoft.Extensions.Options;

namespace MusicDna.Server.Hosting;

/// <summary>Checks "MusicDna:Bootstrap" at start-up; each failure names the key it is about.</summary>
internal sealed class BootstrapOptionsValidator : IValidateOptions<BootstrapOptions>
{
    public ValidateOptionsResult Validate(string? name, BootstrapOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.CatalogueCsv.IndexOfAny(Path.GetInvalidPathChars()) >= 0
            ? ValidateOptionsResult.Fail($"{BootstrapOptions.SectionName}:CatalogueCsv holds a character no path may contain.")
            : ValidateOptionsResult.Success;
    }
}
