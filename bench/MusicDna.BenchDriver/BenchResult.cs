using System.Text.Json;

namespace MusicDna.BenchDriver;

/// <summary>Prints one measurement as a JSON object (bench/report.py reads it).</summary>
internal static class BenchResult
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static int Print(IReadOnlyDictionary<string, object> values)
    {
        Console.WriteLine(JsonSerializer.Serialize(values, Options));
        return 0;
    }
}
