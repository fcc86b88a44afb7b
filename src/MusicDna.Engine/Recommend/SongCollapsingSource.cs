using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// At most one version per song, in the order of the search underneath: a song takes the place of its best-matching
/// qualifying version (its score is that version's), and later versions are counted as song repeats. The version
/// shown is that best match or, by default, the song's most popular version that passes the same filter (the best
/// match on ties), read from the snapshot's song table; the seeds', history's and earlier pages' songs never reach
/// here (the filter refuses them).
/// </summary>
internal sealed class SongCollapsingSource(
    CandidateSource inner, TrackTable tracks, CandidateFilter filter, SongVersionChoice choice, FeedDiagnostics diagnostics)
    : CandidateSource
{
    private readonly HashSet<UInt128> _songs = [];

    public override bool TryNext(CancellationToken cancellationToken, out Candidate candidate)
    {
        while (inner.TryNext(cancellationToken, out var match))
        {
            Examined = inner.Examined;
            if (!_songs.Add(match.Facts.Song))
            {
                diagnostics.Remove(RemovalStage.SongRepeat);
                continue;
            }

            candidate = choice == SongVersionChoice.BestMatch ? match : MostPopularVersion(match);
            return true;
        }

        Examined = inner.Examined;
        candidate = default;
        return false;
    }

    private Candidate MostPopularVersion(Candidate match)
    {
        // Most songs have a handful of versions: read them without a list (and in any order: ties go to the lowest row).
        Span<long> few = stackalloc long[16];
        var count = tracks.VersionsOf(match.Facts.Song, few);
        var versions = count >= 0 ? few[..count] : [.. tracks.VersionsOf(match.Facts.Song)];
        var (bestRow, best) = (match.RowId, match.Facts);
        foreach (var row in versions)
        {
            if (row != match.RowId && tracks.TryGet(row, out var facts)
                && (facts.Popularity > best.Popularity || (facts.Popularity == best.Popularity && best != match.Facts && row < bestRow))
                && filter.Refusal(row, facts) is null)
            {
                (bestRow, best) = (row, facts);
            }
        }

        return match with { RowId = bestRow, Facts = best, Versions = versions.Length };
    }
}
