using MusicDna.Core.Errors;
using MusicDna.Core.Text;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Recommend.Tuning;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// A feed request: seeds, how they combine, what may be returned and how the page is re-ranked.
/// <see cref="Validate"/> names the contract's field on every error.
/// </summary>
public sealed record RecommendQuery
{
    public const int DefaultK = 10;
    public const int MaxK = 1000;
    public const int MaxSeeds = 100;
    public const double DefaultPopularityPenalty = 0.1;
    public const int MaxTracksPerArtistLimit = 1000;
    public const int MaxHistory = 1000;
    public const int MaxArtistWindow = 100;
    public const int DefaultGroupSize = 3;
    public const int MaxGroupSize = 100;
    public const int MaxGroupedRows = 10_000;
    public const double MaxAbsoluteMinScore = 100;
    public const double DefaultTargetWeight = 4;
    public const double MaxTargetWeight = 10;

    // A base64 token of 4 MiB holds ~1.5 million served ids: far more than any feed, far less than a message.
    public const int MaxPageTokenLength = 4 * 1024 * 1024;

    public required IReadOnlyList<RecommendSeed> Seeds { get; init; }

    public int K { get; init; } = DefaultK;

    public SeedStrategy Strategy { get; init; }

    public TrackFilter Filter { get; init; } = TrackFilter.None;

    public bool LongTail { get; init; }

    /// <summary>The long-tail penalty as requested; null = <see cref="DefaultPopularityPenalty"/>.</summary>
    public double? PopularityPenalty { get; init; }

    public double Diversity { get; init; }

    /// <summary>At most this many tracks per artist in one page; 0 = no cap.</summary>
    public int MaxTracksPerArtist { get; init; }

    public bool Explain { get; init; }

    public string PageToken { get; init; } = "";

    public bool SkipUnknownSeeds { get; init; }

    /// <summary>True: every version of a song may appear (songs not collapsed).</summary>
    public bool IncludeSongVersions { get; init; }

    /// <summary>Which version a collapsed song shows; null = <see cref="SongVersionChoice.MostPopular"/>.</summary>
    public SongVersionChoice? SongVersion { get; init; }

    /// <summary>Only tracks scoring at least this; null = no floor.</summary>
    public double? MinScore { get; init; }

    /// <summary>Track ids heard recently, oldest first: never recommended, nor their songs; they open the artist window.</summary>
    public IReadOnlyList<string> History { get; init; } = [];

    /// <summary>No artist twice within this many consecutive rows (across pages); 0 = no window.</summary>
    public int ArtistWindow { get; init; }

    public FeedGrouping GroupBy { get; init; }

    /// <summary>Rows per shelf as requested; 0 = <see cref="DefaultGroupSize"/> (with <see cref="GroupBy"/>).</summary>
    public int GroupSize { get; init; }

    /// <summary>Tunable attributes: hard limits and soft targets, at most one entry per attribute.</summary>
    public IReadOnlyList<AttributeTuning> Attributes { get; init; } = [];

    /// <summary>How strongly targets pull as requested; null = <see cref="DefaultTargetWeight"/>.</summary>
    public double? TargetWeight { get; init; }

    /// <summary>Offsets added to the positive seeds' features before they are embedded.</summary>
    public FeatureSteering Steer { get; init; } = FeatureSteering.None;

    public bool HasTargets => Attributes.Any(a => a.Target is not null);

    /// <summary>The pull of the targets in units of score (0 without targets).</summary>
    public double EffectiveTargetWeight => HasTargets ? TargetWeight ?? DefaultTargetWeight : 0;

    /// <summary>Without a positive seed, an attribute search: the seed is built from the targets.</summary>
    public bool IsAttributeSearch => !Seeds.Any(s => !s.Negative);

    public bool CollapseSongs => !IncludeSongVersions;

    /// <summary>Rows per shelf (0 without <see cref="GroupBy"/>).</summary>
    public int EffectiveGroupSize => GroupBy == FeedGrouping.None ? 0 : GroupSize == 0 ? DefaultGroupSize : GroupSize;

    /// <summary>The most rows a page may hold: k, or k shelves of <see cref="EffectiveGroupSize"/>.</summary>
    public int PageCapacity => GroupBy == FeedGrouping.None ? K : K * EffectiveGroupSize;

    /// <summary>Best-score seeds up to which a feed is cheap: each seed adds a pass over the whole catalogue.</summary>
    public const int CheapBestScoreSeeds = 10;

    /// <summary>
    /// Work that grows with catalogue × seeds: the best-score strategy over more than <see cref="CheapBestScoreSeeds"/>
    /// seeds (the average-vector strategy is one index search, whatever the seeds).
    /// </summary>
    public bool IsExpensive => Strategy == SeedStrategy.BestScore && Seeds.Count > CheapBestScoreSeeds;

    /// <summary>The penalty per 100 popularity points the page is re-ranked with (0 outside long-tail mode).</summary>
    public double EffectivePopularityPenalty => LongTail ? PopularityPenalty ?? DefaultPopularityPenalty : 0;

    public void Validate()
    {
        ValidateAttributes();
        if (Seeds.Count == 0 && !HasTargets)
        {
            throw new InvalidInputException("seed", "set track_id, features, seeds or an attributes target");
        }

        if (Seeds.Count > MaxSeeds)
        {
            throw new InvalidInputException("seeds", $"at most {MaxSeeds} seeds in all, got {Seeds.Count}");
        }

        foreach (var seed in Seeds)
        {
            seed.Validate();
        }

        if (Seeds.Count > 0 && Seeds.All(s => s.Negative) && !HasTargets)
        {
            throw new InvalidInputException("seeds", "at least one seed must be positive");
        }

        if (K is < 1 or > MaxK)
        {
            throw new InvalidInputException("k", $"must be between 1 and {MaxK}, got {K}");
        }

        Filter.Validate();
        if (Filter.IsRelativeToSeed && IsAttributeSearch)
        {
            throw new InvalidInputException(
                Filter.TempoWindowPercent is not null ? "filter.tempo_window_percent" : "filter.key_match",
                "is relative to the seed: give a positive seed");
        }

        Steer.Validate();
        if (PopularityPenalty is { } penalty)
        {
            if (!LongTail)
            {
                throw new InvalidInputException("popularity_penalty", "applies only with long_tail");
            }

            if (!double.IsFinite(penalty) || penalty <= 0 || penalty > 1)
            {
                throw new InvalidInputException("popularity_penalty", $"must be greater than 0 and at most 1, got {penalty}");
            }
        }

        if (!double.IsFinite(Diversity) || Diversity is < 0 or > 1)
        {
            throw new InvalidInputException("diversity", $"must be between 0 and 1, got {Diversity}");
        }

        if (MaxTracksPerArtist is < 0 or > MaxTracksPerArtistLimit)
        {
            throw new InvalidInputException("max_tracks_per_artist", $"must be between 0 and {MaxTracksPerArtistLimit}, got {MaxTracksPerArtist}");
        }

        ValidateSongsAndSessions();
        ValidateShelves();
        if (PageToken.Length > MaxPageTokenLength)
        {
            throw new InvalidInputException("page_token", $"at most {MaxPageTokenLength} characters", FeedToken.InvalidReason);
        }
    }

    private void ValidateAttributes()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tuning in Attributes)
        {
            if (!names.Add(tuning.Attribute.Name))
            {
                throw new InvalidInputException($"attributes.{tuning.Attribute.Name}", "is tuned twice");
            }

            tuning.Validate();
        }

        if (TargetWeight is { } weight)
        {
            if (!HasTargets)
            {
                throw new InvalidInputException("target_weight", "applies only with an attributes target");
            }

            if (!double.IsFinite(weight) || weight is < 0 or > MaxTargetWeight)
            {
                throw new InvalidInputException("target_weight", $"must be between 0 and {MaxTargetWeight}, got {weight}");
            }
        }
    }

    private void ValidateSongsAndSessions()
    {
        if (SongVersion is not null && IncludeSongVersions)
        {
            throw new InvalidInputException("song_version", "applies only when songs are collapsed (include_song_versions unset)");
        }

        if (MinScore is { } floor && (!double.IsFinite(floor) || Math.Abs(floor) > MaxAbsoluteMinScore))
        {
            throw new InvalidInputException("min_score", $"must be a finite number between -{MaxAbsoluteMinScore} and {MaxAbsoluteMinScore}, got {floor}");
        }

        if (History.Count > MaxHistory)
        {
            throw new InvalidInputException("history", $"at most {MaxHistory} track ids, got {History.Count}");
        }

        for (var i = 0; i < History.Count; i++)
        {
            if (ClientText.KeyProblem(History[i], TrackValidator.MaxTrackIdLength) is { } problem)
            {
                throw new InvalidInputException($"history[{i}]", problem);
            }
        }

        if (ArtistWindow is < 0 or > MaxArtistWindow)
        {
            throw new InvalidInputException("artist_window", $"must be between 0 and {MaxArtistWindow}, got {ArtistWindow}");
        }
    }

    private void ValidateShelves()
    {
        if (GroupBy == FeedGrouping.None)
        {
            if (GroupSize != 0)
            {
                throw new InvalidInputException("group_size", "applies only with group_by");
            }

            return;
        }

        var other = LongTail ? "long_tail" : Diversity > 0 ? "diversity" : ArtistWindow > 0 ? "artist_window" : null;
        if (other is not null)
        {
            throw new InvalidInputException("group_by", $"cannot be combined with {other}: shelves are ranked by score alone");
        }

        if (GroupSize is < 0 or > MaxGroupSize)
        {
            throw new InvalidInputException("group_size", $"must be between 1 and {MaxGroupSize}, got {GroupSize}");
        }

        if (PageCapacity > MaxGroupedRows)
        {
            throw new InvalidInputException("group_size", $"k × group_size must be at most {MaxGroupedRows}, got {K} × {EffectiveGroupSize}");
        }
    }
}
