using System.Diagnostics;
using System.Globalization;

namespace MusicDna.IndexBench;

internal static class Measure
{
    public static (T Result, double Seconds) Time<T>(Func<T> action)
    {
        var clock = Stopwatch.StartNew();
        var result = action();
        return (result, clock.Elapsed.TotalSeconds);
    }

    public static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>This process's resident set in MiB, from /proc/self/status (VmRSS), after a full GC.</summary>
    public static double RssMiB()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return StatusMiB("VmRSS:");
    }

    /// <summary>The most this process has held resident so far (VmHWM), in MiB.</summary>
    public static double PeakRssMiB() => StatusMiB("VmHWM:");

    private static double StatusMiB(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kilobytes = long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kilobytes / 1024d;
            }
        }

        return double.NaN;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
