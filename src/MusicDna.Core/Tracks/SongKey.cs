using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace MusicDna.Core.Tracks;

/// <summary>
/// When two catalogue tracks are versions of one song: the same normalised title and the same set of artists.
/// The title is normalised (Unicode NFKC, lower case, runs of white space as one space) and loses its version
/// suffixes, repeatedly: a trailing <c>(…)</c> or <c>[…]</c> group, or the text after the last " - ", that names a
/// version — a remaster ("2011 Remaster", "Remastered 2021"), a live recording ("Live at …", "Ao Vivo", "En Vivo"),
/// an edit or mix ("Radio Edit", "Original Mix", "Mixed"), mono or stereo, a "… Version", a bonus track, a bare year,
/// or (in brackets only) a featured artist ("feat. …", "with …"). A suffix that also names a remix, an instrumental,
/// karaoke, a reprise, a slowed or sped-up rework or an a cappella keeps the track a song of its own. Artists are
/// compared as a set (NFKC, lower case, trimmed; order and repeats ignored). A track whose title or artists are empty
/// is a song of its own: untitled rows are not all one song.
/// </summary>
/// <remarks>
/// Pure and deterministic: the catalogue stores the key computed here, so any storage backend holds the same key.
/// The key is 32 lowercase hex digits (the first 16 bytes of a SHA-256), short enough to index whatever the title.
/// </remarks>
public static partial class SongKey
{
    public const int Length = 32;

    private static readonly string[] VersionWords =
    [
        "remaster", "remastered", "remasterizado", "remasterizada", "live", "ao vivo", "en vivo", "en directo",
        "edit", "mix", "mixed", "mono", "stereo", "version", "versión", "versão", "bonus track",
    ];

    private static readonly string[] DistinctWorkWords =
        ["remix", "instrumental", "karaoke", "reprise", "slowed", "sped up", "acapella", "a cappella"];

    /// <summary>The song key of a track.</summary>
    public static string Of(Track track)
    {
        ArgumentNullException.ThrowIfNull(track);
        return Of(track.TrackId, track.Name, track.Artists);
    }

    /// <summary>The song key of a track with this id, title and artists.</summary>
    public static string Of(string trackId, string name, IReadOnlyList<string> artists)
    {
        ArgumentNullException.ThrowIfNull(trackId);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(artists);
        var title = Title(name);
        var artistSet = ArtistSet(artists);
        return title.Length == 0 || artistSet.Count == 0
            ? Hash("\u0000track\u001f" + trackId)
            : Hash(title + "\u001f" + string.Join("\u001e", artistSet));
    }

    /// <summary>The normalised title with its version suffixes removed (the title part of the key).</summary>
    public static string Title(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var title = Normalise(name);
        while (true)
        {
            var bracketed = TrailingGroup().Match(title);
            if (bracketed.Success && IsVersionTag(bracketed.Groups["tag"].Value, bracketed: true))
            {
                title = bracketed.Groups["base"].Value.TrimEnd();
                continue;
            }

            var dash = title.LastIndexOf(" - ", StringComparison.Ordinal);
            if (dash > 0 && IsVersionTag(title[(dash + 3)..], bracketed: false))
            {
                title = title[..dash].TrimEnd();
                continue;
            }

            return title;
        }
    }

    private static SortedSet<string> ArtistSet(IReadOnlyList<string> artists)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var artist in artists)
        {
            var normalised = Normalise(artist);
            if (normalised.Length > 0)
            {
                set.Add(normalised);
            }
        }

        return set;
    }

    private static bool IsVersionTag(string tag, bool bracketed)
    {
        var words = " " + NonWord().Replace(tag, " ").Trim() + " ";
        if (DistinctWorkWords.Any(w => words.Contains($" {w} ", StringComparison.Ordinal)))
        {
            return false;
        }

        return Year().IsMatch(tag)
            || (bracketed && Featuring().IsMatch(tag))
            || VersionWords.Any(w => words.Contains($" {w} ", StringComparison.Ordinal));
    }

    private static string Normalise(string text) =>
        WhiteSpace().Replace(text.Normalize(NormalizationForm.FormKC).ToLowerInvariant(), " ").Trim();

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, Length / 2));

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"[^\w]+")]
    private static partial Regex NonWord();

    [GeneratedRegex(@"^\s*\d{4}\s*$")]
    private static partial Regex Year();

    [GeneratedRegex(@"^\s*(feat\.?|ft\.|featuring|with)\s")]
    private static partial Regex Featuring();

    [GeneratedRegex(@"^(?<base>.*\S)\s*[\(\[](?<tag>[^\(\)\[\]]*)[\)\]]$")]
    private static partial Regex TrailingGroup();
}
