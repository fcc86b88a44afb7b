using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MusicDna.Testing;

/// <summary>Records every line the server logs (at the levels its configuration lets through), as a console would print it.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>What the recorded lines would take in a log file, exception text included.</summary>
    public long Bytes => _lines.Sum(line => (long)System.Text.Encoding.UTF8.GetByteCount(line) + 1);

    /// <summary>The shipped server's log levels (src/MusicDna.Server/appsettings.json), as settings for a test server.</summary>
    public static Dictionary<string, string?> ShippedLogLevels()
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repository.BuildOutput("MusicDna.Server", "appsettings.json")));
        return json.RootElement.GetProperty("Logging").GetProperty("LogLevel").EnumerateObject()
            .ToDictionary(level => $"Logging:LogLevel:{level.Name}", level => (string?)level.Value.GetString());
    }

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Recorder(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lines.Enqueue($"{logLevel}: {category}[{eventId.Id}] {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
        }
    }
}
