using System.Globalization;
using System.Text;

namespace MusicDna.Core.Text;

/// <summary>
/// Text that came from a client: checked before it is used as a key or a label, and escaped before it goes anywhere an
/// operator reads it (status messages, logs), so a carriage return, an ANSI escape or a NUL byte cannot forge or
/// garble a log line.
/// </summary>
public static class ClientText
{
    /// <summary>True when the text holds a control character (C0, DEL or C1: line breaks, escapes, NUL…).</summary>
    public static bool HasControlCharacters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Control characters written as <c>\uXXXX</c>, and text past <paramref name="maxLength"/> cut with "…".</summary>
    public static string Escape(string text, int maxLength = 4096)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (!HasControlCharacters(text) && text.Length <= maxLength)
        {
            return text;
        }

        var escaped = new StringBuilder(Math.Min(text.Length, maxLength) + 16);
        foreach (var c in text)
        {
            if (escaped.Length >= maxLength)
            {
                return escaped.Append('…').ToString();
            }

            if (char.IsControl(c))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    /// <summary>
    /// The problem with a client's key or label (a track id, a genre), or null: it must be non-empty, at most
    /// <paramref name="maxLength"/> characters and free of control characters. The value itself is never echoed.
    /// </summary>
    public static string? KeyProblem(string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "must not be empty";
        }

        if (value.Length > maxLength)
        {
            return $"must be at most {maxLength} characters, got {value.Length}";
        }

        return HasControlCharacters(value) ? "must not contain control characters" : null;
    }
}
