using System.Text;
using MusicDna.Core.Errors;
using MusicDna.Core.Text;

namespace MusicDna.Engine.Search;

/// <summary>A title/artist search as a client asks it: free text and how many tracks to return.</summary>
public sealed record TrackSearchQuery(string Text, int Limit = TrackSearchQuery.DefaultLimit)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxLength = 200;
    public const int MaxWords = 16;

    /// <summary>Checks the query and splits it into its words: runs of letters and digits, everything else a separator.</summary>
    /// <exception cref="InvalidInputException">The text or the limit is out of bounds (the field is named).</exception>
    public IReadOnlyList<string> Words()
    {
        if (Limit is < 1 or > MaxLimit)
        {
            throw new InvalidInputException("limit", $"must be between 1 and {MaxLimit}, got {Limit}");
        }

        if (string.IsNullOrWhiteSpace(Text))
        {
            throw new InvalidInputException("query", "must not be empty");
        }

        if (Text.Length > MaxLength)
        {
            throw new InvalidInputException("query", $"must be at most {MaxLength} characters, got {Text.Length}");
        }

        if (ClientText.HasControlCharacters(Text))
        {
            throw new InvalidInputException("query", "must not contain control characters");
        }

        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in Text)
        {
            if (char.IsLetterOrDigit(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                word.Append(c);
                continue;
            }

            Flush();
        }

        Flush();
        if (words.Count == 0)
        {
            throw new InvalidInputException("query", "must contain a letter or a digit");
        }

        return words.Count > MaxWords
            ? throw new InvalidInputException("query", $"must have at most {MaxWords} words, got {words.Count}")
            : words;

        void Flush()
        {
            if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }
    }
}
