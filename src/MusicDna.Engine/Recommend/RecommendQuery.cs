using MusicDna.Core.Errors;

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
        if (Seeds.Count == 0)
        {
            throw new InvalidInputException("seed", "set track_id, features or seeds");
        }

        if (Seeds.Count > MaxSeeds)
        {
            throw new InvalidInputException("seeds", $"at most {MaxSeeds} seeds in all, got {Seeds.Count}");
        }

        foreach (var seed in Seeds)
        {
            seed.Validate();
        }

        if (Seeds.All(s => s.Negative))
        {
            throw new InvalidInputException("seeds", "at least one seed must be positive");
        }

        if (K is < 1 or > MaxK)
        {
            throw new InvalidInputException("k", $"must be between 1 and {MaxK}, got {K}");
        }

        Filter.Validate();
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

        if (PageToken.Length > MaxPageTokenLength)
        {
            throw new InvalidInputException("page_token", $"at most {MaxPageTokenLength} characters", FeedToken.InvalidReason);
        }
    }
}
