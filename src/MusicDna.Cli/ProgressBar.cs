using System.Diagnostics;
using System.Globalization;

namespace MusicDna.Cli;

/// <summary>
/// A one-line progress bar on standard error: fraction done, rows and rate. Redraws in place on a terminal;
/// when standard error is redirected (CI logs) it prints a plain line at most every few seconds instead.
/// </summary>
internal sealed class ProgressBar
{
    private const int Width = 30;
    private static readonly TimeSpan RedirectedInterval = TimeSpan.FromSeconds(5);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private TimeSpan? _lastDrawn;

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Draw(double fraction, long rows, bool force = false)
    {
        var now = _clock.Elapsed;
        var interval = _interactive ? TimeSpan.FromMilliseconds(100) : RedirectedInterval;
        if (!force && _lastDrawn is { } last && now - last < interval)
        {
            return;
        }

        _lastDrawn = now;
        fraction = Math.Clamp(fraction, 0, 1);
        var filled = (int)Math.Round(fraction * Width);
        var rate = rows / Math.Max(now.TotalSeconds, 1e-3);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', Width - filled)}] {fraction,4:P0}  {rows:N0} rows  {rate:N0} rows/s");
        Console.Error.Write(_interactive ? "\r" + line : line + Environment.NewLine);
    }

    public void Finish()
    {
        if (_interactive)
        {
            Console.Error.WriteLine();
        }
    }
}
