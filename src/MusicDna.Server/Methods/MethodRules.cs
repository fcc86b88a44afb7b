using MusicDna.Contracts.V1;

namespace MusicDna.Server.Methods;

/// <summary>
/// The rule of every MusicDna RPC, keyed by the generated service descriptor, shared by authorisation and the call
/// time limits. Fails closed: building the table throws (and the server does not start) when an RPC of the service
/// has no rule or a rule names no RPC, and <see cref="Find"/> knows no method outside the table, so an RPC added to
/// the contract cannot become callable without a declared role.
/// </summary>
public sealed class MethodRules
{
    /// <summary>The declared rule of each MusicDnaService RPC, by RPC name.</summary>
    public static IReadOnlyDictionary<string, MethodRule> MusicDnaService { get; } = new Dictionary<string, MethodRule>(StringComparer.Ordinal)
    {
        ["Train"] = new(CallerRole.Admin, CallDuration.LongRunning),
        ["Embed"] = new(CallerRole.Reader, CallDuration.Bounded),
        ["Recommend"] = new(CallerRole.Reader, CallDuration.Bounded),
        ["FindGenreBenders"] = new(CallerRole.Reader, CallDuration.Bounded),
        ["BulkIngest"] = new(CallerRole.Admin, CallDuration.LongRunning),
        ["OrderPlaylist"] = new(CallerRole.Reader, CallDuration.Bounded),
        ["Bridge"] = new(CallerRole.Reader, CallDuration.Bounded),
        ["SearchTracks"] = new(CallerRole.Reader, CallDuration.Bounded),
        ["GetSonicMap"] = new(CallerRole.Reader, CallDuration.Bounded),
        ["DeleteTracks"] = new(CallerRole.Admin, CallDuration.BoundedWrite),
    };

    private readonly Dictionary<string, MethodRule> _byPath;

    /// <exception cref="InvalidOperationException">An RPC of <paramref name="service"/> has no rule, or a rule names no RPC.</exception>
    public MethodRules(Google.Protobuf.Reflection.ServiceDescriptor service, IReadOnlyDictionary<string, MethodRule> rules)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(rules);
        var undeclared = service.Methods.Select(m => m.Name).Where(name => !rules.ContainsKey(name)).ToList();
        if (undeclared.Count > 0)
        {
            throw new InvalidOperationException(
                $"{service.FullName} has RPCs without a declared role and time limit: {string.Join(", ", undeclared)} (declare them in {nameof(MethodRules)}).");
        }

        var unknown = rules.Keys.Where(name => service.FindMethodByName(name) is null).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"{nameof(MethodRules)} declares rules for RPCs {service.FullName} does not have: {string.Join(", ", unknown)}.");
        }

        _byPath = service.Methods.ToDictionary(m => $"/{service.FullName}/{m.Name}", m => rules[m.Name], StringComparer.Ordinal);
    }

    /// <summary>The rules of the MusicDna service as declared in <see cref="MusicDnaService"/>.</summary>
    public static MethodRules ForMusicDnaService() => new(Contracts.V1.MusicDnaService.Descriptor, MusicDnaService);

    /// <summary>The rule of a call's method (<c>/package.Service/Method</c>), or null for a method the table does not know.</summary>
    public MethodRule? Find(string methodPath) => _byPath.GetValueOrDefault(methodPath);
}
