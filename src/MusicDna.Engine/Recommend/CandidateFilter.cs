using MusicDna.Core.Errors;
using MusicDna.Core.Features;
using MusicDna.Engine.Harmony;
using MusicDna.Engine.Recommend.Tuning;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// A <see cref="TrackFilter"/> compiled for one call: hash sets for the lists, plus the rows no page may return (seed
/// tracks, <c>history</c>, and the tracks earlier pages of the feed already served) and their songs: always for
/// history, and for seeds and served rows when the feed collapses songs. <see cref="Matches"/> counts each track it
/// refuses under the first <see cref="RemovalStage"/> that refuses it.
/// </summary>
internal sealed class CandidateFilter
{
    private static readonly int KeyIndex = FeatureSchema.IndexOf("key");
    private static readonly int ModeIndex = FeatureSchema.IndexOf("mode");

    private readonly TrackFilter _filter;
    private readonly ResolvedSeeds _seeds;
    private readonly IReadOnlySet<long> _served;
    private readonly RecentRows _history;
    private readonly FeedDiagnostics _diagnostics;
    private readonly HashSet<string> _include;
    private readonly HashSet<string> _exclude;
    private readonly HashSet<string> _excludedIds;
    private readonly HashSet<string> _seedSongs;
    private readonly HashSet<string> _servedSongs;
    private readonly AttributeTuning[] _limits;
    private readonly CamelotKey? _seedKey;
    private readonly double _seedTempo;

    public CandidateFilter(
        TrackFilter filter, ResolvedSeeds seeds, IReadOnlySet<long> served, RecentRows history, bool collapseSongs,
        TrackTable tracks, FeedDiagnostics diagnostics, IReadOnlyList<AttributeTuning>? attributes = null)
    {
        _filter = filter;
        _seeds = seeds;
        _served = served;
        _history = history;
        _diagnostics = diagnostics;
        _include = new(filter.IncludeGenres, StringComparer.OrdinalIgnoreCase);
        _exclude = new(filter.ExcludeGenres, StringComparer.OrdinalIgnoreCase);
        _excludedIds = new(filter.ExcludeTrackIds, StringComparer.Ordinal);
        _seedSongs = collapseSongs ? [.. seeds.SongIds] : [];
        _servedSongs = [];
        _limits = [.. (attributes ?? []).Where(a => a.IsLimit)];
        _seedTempo = seeds.SeedRaw[FeatureSchema.IndexOf("tempo")];
        if (filter.KeyMatch != KeyMatchMode.None)
        {
            _seedKey = CamelotKey.Of(seeds.SeedRaw[FeatureSchema.IndexOf("key")], seeds.SeedRaw[FeatureSchema.IndexOf("mode")])
                ?? throw new InvalidInputException("filter.key_match", "the seed has no detected key (key -1), so no key can match it");
        }

        if (collapseSongs)
        {
            foreach (var row in served)
            {
                if (tracks.TryGet(row, out var facts))
                {
                    _servedSongs.Add(facts.SongId);
                }
            }
        }
    }

    /// <summary>Rows the filter removes outright, before any search: a hint for how deep to search first.</summary>
    public int KnownExclusions => _seeds.RowIds.Count + _served.Count + _excludedIds.Count + _history.RowIds.Count;

    /// <summary>Whether the track may be in the feed; a refusal is counted.</summary>
    public bool Matches(long rowId, TrackFacts track)
    {
        if (Refusal(rowId, track) is { } stage)
        {
            _diagnostics.Remove(stage);
            return false;
        }

        return true;
    }

    /// <summary>The first stage that refuses the track, or null; nothing is counted.</summary>
    public RemovalStage? Refusal(long rowId, TrackFacts track)
    {
        if (_seeds.RowIds.Contains(rowId) || _seedSongs.Contains(track.SongId))
        {
            return RemovalStage.Seed;
        }

        if (_history.RowIds.Contains(rowId) || _history.SongIds.Contains(track.SongId))
        {
            return RemovalStage.History;
        }

        if (_served.Contains(rowId) || _servedSongs.Contains(track.SongId))
        {
            return RemovalStage.Served;
        }

        if (_excludedIds.Contains(track.TrackId))
        {
            return RemovalStage.ExcludedTrackId;
        }

        if ((_include.Count > 0 && !_include.Contains(track.Genre)) || _exclude.Contains(track.Genre))
        {
            return RemovalStage.Genre;
        }

        if (_filter.ExcludeExplicit && track.Explicit)
        {
            return RemovalStage.Explicit;
        }

        if (track.Popularity < _filter.MinPopularity || track.Popularity > _filter.MaxPopularity)
        {
            return RemovalStage.Popularity;
        }

        if (track.Tempo < _filter.MinTempo || track.Tempo > _filter.MaxTempo
            || (_filter.TempoWindowPercent is { } window && TempoMatch.RelativeGap(track.Tempo, _seedTempo, _filter.TempoHalfDouble) > window / 100))
        {
            return RemovalStage.Tempo;
        }

        foreach (var limit in _limits)
        {
            if (!limit.Allows(limit.Attribute.ValueOf(track.Track)))
            {
                return RemovalStage.Attributes;
            }
        }

        if (_seedKey is { } seedKey && (CamelotKey.Of(track.Track.Features[KeyIndex], track.Track.Features[ModeIndex]) is not { } key
            || !seedKey.Accepts(key, _filter.KeyMatch, _filter.KeyEnergyBoost)))
        {
            return RemovalStage.Key;
        }

        return _filter.ExcludeSeedArtists && track.Artists.Any(_seeds.Artists.Contains) ? RemovalStage.SeedArtists : null;
    }
}
