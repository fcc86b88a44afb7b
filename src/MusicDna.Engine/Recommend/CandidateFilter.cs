using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// A <see cref="TrackFilter"/> compiled for one call: hash sets for the lists, plus the rows no page may return
/// (seed tracks, and the tracks earlier pages of the feed already served).
/// </summary>
internal sealed class CandidateFilter(TrackFilter filter, ResolvedSeeds seeds, IReadOnlySet<long> served)
{
    private readonly HashSet<string> _include = new(filter.IncludeGenres, StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _exclude = new(filter.ExcludeGenres, StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _excludedIds = new(filter.ExcludeTrackIds, StringComparer.Ordinal);

    /// <summary>Rows the filter removes outright, before any search: a hint for how deep to search first.</summary>
    public int KnownExclusions => seeds.RowIds.Count + served.Count + _excludedIds.Count;

    public bool Matches(long rowId, TrackFacts track)
    {
        if (seeds.RowIds.Contains(rowId) || served.Contains(rowId) || _excludedIds.Contains(track.TrackId))
        {
            return false;
        }

        if ((_include.Count > 0 && !_include.Contains(track.Genre)) || _exclude.Contains(track.Genre))
        {
            return false;
        }

        if ((filter.ExcludeExplicit && track.Explicit)
            || track.Popularity < filter.MinPopularity || track.Popularity > filter.MaxPopularity
            || track.Tempo < filter.MinTempo || track.Tempo > filter.MaxTempo)
        {
            return false;
        }

        return !filter.ExcludeSeedArtists || !track.Artists.Any(seeds.Artists.Contains);
    }
}
