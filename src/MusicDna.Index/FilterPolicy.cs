namespace MusicDna.Index;

/// <summary>
/// How a filtered search under <see cref="FilterStrategy.Auto"/> runs, by the share of the index the filter allows
/// (allowed ids ÷ count). The defaults are the measured crossovers in docs/index.md.
/// </summary>
public sealed record FilterPolicy
{
    public static FilterPolicy Default { get; } = new();

    /// <summary>An exact index scores only the allowed ids when they are at most this share of it; above, it scans
    /// everything and skips the rest.</summary>
    public double ExactScoreAllowedBelow { get; init; } = 0.01;

    /// <summary>An inverted-file index scores only the allowed ids when they are at most this share of it; above, it
    /// probes its lists and skips the rest.</summary>
    public double InvertedFileScoreAllowedBelow { get; init; } = 0.002;

    /// <summary>An inverted-file search that skips disallowed vectors visits probe × (count ÷ allowed)^exponent
    /// lists: the allowed neighbours of a query lie further out the rarer they are, and further still when the
    /// filter is correlated with the space (a genre) rather than random.</summary>
    public double ProbeGrowthExponent { get; init; } = 0.75;

    internal void Validate()
    {
        if (ExactScoreAllowedBelow is < 0 or > 1 || !double.IsFinite(ExactScoreAllowedBelow))
        {
            throw new ArgumentOutOfRangeException(nameof(ExactScoreAllowedBelow), ExactScoreAllowedBelow, "Must be a share in [0, 1].");
        }

        if (InvertedFileScoreAllowedBelow is < 0 or > 1 || !double.IsFinite(InvertedFileScoreAllowedBelow))
        {
            throw new ArgumentOutOfRangeException(nameof(InvertedFileScoreAllowedBelow), InvertedFileScoreAllowedBelow, "Must be a share in [0, 1].");
        }

        if (ProbeGrowthExponent is < 0 or > 2 || !double.IsFinite(ProbeGrowthExponent))
        {
            throw new ArgumentOutOfRangeException(nameof(ProbeGrowthExponent), ProbeGrowthExponent, "Must be in [0, 2].");
        }
    }

    /// <summary>The strategy <see cref="FilterStrategy.Auto"/> takes for a filter of <paramref name="allowed"/> ids
    /// on an index of <paramref name="count"/> vectors.</summary>
    public FilterStrategy Choose(VectorIndexKind kind, long allowed, long count)
    {
        var share = count == 0 ? 0 : (double)allowed / count;
        var below = kind == VectorIndexKind.Exact ? ExactScoreAllowedBelow : InvertedFileScoreAllowedBelow;
        return share <= below ? FilterStrategy.ScoreAllowedOnly : FilterStrategy.SkipDisallowed;
    }

    /// <summary>The lists a <see cref="FilterStrategy.SkipDisallowed"/> search visits on an inverted-file index of
    /// <paramref name="lists"/> lists whose own depth is <paramref name="probe"/>.</summary>
    public long ProbeFor(long probe, long lists, long allowed, long count)
    {
        if (allowed <= 0 || allowed >= count)
        {
            return probe;
        }

        var deeper = Math.Ceiling(probe * Math.Pow((double)count / allowed, ProbeGrowthExponent));
        return (long)Math.Min(lists, Math.Max(probe, deeper));
    }
}
