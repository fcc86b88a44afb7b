using System.Globalization;

namespace MusicDna.BenchDriver;

/// <summary>`command --name value ...`: the driver's whole command line (bench.sh is its only caller).</summary>
internal sealed class BenchArguments
{
    private readonly Dictionary<string, string> _values;

    private BenchArguments(string command, Dictionary<string, string> values)
    {
        Command = command;
        _values = values;
    }

    public string Command { get; }

    public static BenchArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        return new BenchArguments(args.Length > 0 ? args[0] : "", values);
    }

    public string Get(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

    public string Get(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public int GetInt(string name, int fallback) =>
        _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public static int Usage()
    {
        Console.Error.WriteLine(
            "usage: MusicDna.BenchDriver ingest|raw-sqlite|train|embed|bodies|check|start|generate|propagation|search-plan --address http://127.0.0.1:PORT ...");
        return 2;
    }
}
