using System.Globalization;
using System.Text;

namespace MusicDna.Catalogue;

/// <summary>
/// Text folded for word search the way SQLite's FTS5 <c>unicode61 remove_diacritics 2</c> tokenizer folds it:
/// lower case, accents removed, words are runs of letters and digits. A backend without such a tokenizer stores and
/// queries this folded form, so every backend answers a search alike.
/// </summary>
public static class SearchText
{
    /// <summary>The words of <paramref name="text"/>, folded, each preceded by one space (" daft punk"), so
    /// "a word starts with w" is "contains ' ' + w".</summary>
    public static string Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = Fold(text);
        var result = new StringBuilder(folded.Length + 1);
        var inWord = false;
        foreach (var c in folded)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (!inWord)
                {
                    result.Append(' ');
                    inWord = true;
                }

                result.Append(c);
            }
            else
            {
                inWord = false;
            }
        }

        return result.ToString();
    }

    /// <summary>Lower case without accents (combining marks dropped after canonical decomposition).</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var result = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark))
            {
                result.Append(char.ToLowerInvariant(c));
            }
        }

        return result.ToString().Normalize(NormalizationForm.FormC);
    }
}
