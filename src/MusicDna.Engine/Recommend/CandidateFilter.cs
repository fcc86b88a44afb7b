using System.Globalization;
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
    private readonly HashSet<int> _excludedIdHashes;
    private readonly HashSet<UInt128> _seedSongs;
    private readonly HashSet<UInt128> _servedSongs;
    private readonly AttributeTuning[] _limits;
    private readonly bool[] _genreRefused;
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
        _excludedIdHashes = [.. _excludedIds.Select(tracks.TrackIdHash)];
        // Worked out only for a genre filter: without one no genre is refused, and the table's genres are not read.
        _genreRefused = _include.Count > 0 || _exclude.Count > 0 ? new bool[tracks.GenreCount] : [];
        for (var i = 0; i < _genreRefused.Length; i++)
        {
            var genre = tracks.GenreName(i);
            _genreRefused[i] = (_include.Count > 0 && !_include.Contains(genre)) || _exclude.Contains(genre);
        }
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
                    _servedSongs.Add(facts.Song);
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
    public RemovalStage? Refusal(long rowId, TrackFacts track) =>
        EarlyRefusal(rowId, track) ?? StaticRefusal(track) ?? LateRefusal(track);

    /// <summary>
    /// Whether part of the filter depends on the track alone (genres, explicit, popularity, tempo limits and, without a
    /// tempo window, attribute limits): the stages <see cref="StaticRefusal"/> tests, which come right after the
    /// per-call rows in <see cref="Refusal"/>'s order, so one set of allowed rows serves every call with the same
    /// <see cref="StaticSignature"/>.
    /// </summary>
    public bool HasStaticPart =>
        _include.Count > 0 || _exclude.Count > 0 || _filter.ExcludeExplicit || _filter.MinPopularity is not null
        || _filter.MaxPopularity is not null || _filter.MinTempo is not null || _filter.MaxTempo is not null || StaticLimits.Length > 0;

    /// <summary>Equal for two filters whose <see cref="StaticRefusal"/> agrees on every track.</summary>
    public string StaticSignature =>
        string.Join(
            '\u001f',
            string.Join('\u001e', _include.Select(g => g.ToUpperInvariant()).Order(StringComparer.Ordinal)),
            string.Join('\u001e', _exclude.Select(g => g.ToUpperInvariant()).Order(StringComparer.Ordinal)),
            _filter.ExcludeExplicit,
            Bound(_filter.MinPopularity),
            Bound(_filter.MaxPopularity),
            Bound(_filter.MinTempo),
            Bound(_filter.MaxTempo),
            string.Join('\u001e', StaticLimits.Select(l => $"{l.Attribute.Name}:{Bound(l.Min)}:{Bound(l.Max)}")));

    /// <summary>
    /// The rows refused before the static stages (seeds, history, served rows, their songs, excluded ids): the rows
    /// whose first refusal is not their static one.
    /// </summary>
    public IEnumerable<long> EarlyRows(TrackTable tracks)
    {
        var rows = new HashSet<long>(_seeds.RowIds);
        rows.UnionWith(_history.RowIds);
        rows.UnionWith(_served);
        foreach (var song in _seedSongs.Concat(_history.SongIds).Concat(_servedSongs))
        {
            rows.UnionWith(tracks.VersionsOf(song));
        }

        foreach (var id in _excludedIds)
        {
            if (tracks.TryFind(id, out var row, out _))
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>The per-call stages: seeds, history, earlier pages and excluded ids.</summary>
    public RemovalStage? EarlyRefusal(long rowId, TrackFacts track)
    {
        if (_seeds.RowIds.Contains(rowId) || _seedSongs.Contains(track.Song))
        {
            return RemovalStage.Seed;
        }

        if (_history.RowIds.Contains(rowId) || _history.SongIds.Contains(track.Song))
        {
            return RemovalStage.History;
        }

        if (_served.Contains(rowId) || _servedSongs.Contains(track.Song))
        {
            return RemovalStage.Served;
        }

        // The id's hash first: the id itself is decoded only for a likely match.
        return _excludedIdHashes.Count > 0 && _excludedIdHashes.Contains(track.TrackIdHash) && _excludedIds.Contains(track.TrackId)
            ? RemovalStage.ExcludedTrackId
            : null;
    }

    /// <summary>The stages that depend on the track alone (see <see cref="HasStaticPart"/>).</summary>
    public RemovalStage? StaticRefusal(TrackFacts track)
    {
        if ((_include.Count > 0 || _exclude.Count > 0) && GenreRefused(track))
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

        if (track.Tempo < _filter.MinTempo || track.Tempo > _filter.MaxTempo)
        {
            return RemovalStage.Tempo;
        }

        foreach (var limit in StaticLimits)
        {
            if (!limit.Allows(limit.Attribute.ValueOf(track)))
            {
                return RemovalStage.Attributes;
            }
        }

        return null;
    }

    // A tempo window is tested in the tempo stage, before attribute limits: with one, the limits are tested late.
    private AttributeTuning[] StaticLimits => _filter.TempoWindowPercent is null ? _limits : [];

    private RemovalStage? LateRefusal(TrackFacts track)
    {
        if (_filter.TempoWindowPercent is { } window && TempoMatch.RelativeGap(track.Tempo, _seedTempo, _filter.TempoHalfDouble) > window / 100)
        {
            return RemovalStage.Tempo;
        }

        if (_filter.TempoWindowPercent is not null)
        {
            foreach (var limit in _limits)
            {
                if (!limit.Allows(limit.Attribute.ValueOf(track)))
                {
                    return RemovalStage.Attributes;
                }
            }
        }

        if (_seedKey is { } seedKey && (CamelotKey.Of(track.Features[KeyIndex], track.Features[ModeIndex]) is not { } key
            || !seedKey.Accepts(key, _filter.KeyMatch, _filter.KeyEnergyBoost)))
        {
            return RemovalStage.Key;
        }

        return _filter.ExcludeSeedArtists && track.AnyArtistIn(_seeds.Artists) ? RemovalStage.SeedArtists : null;
    }

    // Genres are few: each genre id's answer is worked out once per call.
    private bool GenreRefused(TrackFacts track)
    {
        var id = track.GenreId;
        if (id < _genreRefused.Length)
        {
            return _genreRefused[id];
        }

        var genre = track.Genre;
        return (_include.Count > 0 && !_include.Contains(genre)) || _exclude.Contains(genre);
    }

    private static string Bound(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
