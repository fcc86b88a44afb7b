namespace MusicDna.Index;

/// <summary>
/// How <see cref="VectorIndexFactory"/> chooses and size an index. The defaults
/// are the measured choices in docs/index.md.
/// </summary>
public sealed record VectorIndexOptions
{
    /// <summary>The most inverted lists an index may have.</summary>
    public const int MaxLists = 1 << 20;

    public static VectorIndexOptions Default { get; } = new();

    /// <summary>Catalogues of at least this many vectors get an inverted-file index; smaller ones an exact one.</summary>
    public long ApproximateFrom { get; init; } = 250_000;

    /// <summary>Inverted lists; null chooses by the count (<see cref="ListsFor"/>).</summary>
    public int? Lists { get; init; }

    /// <summary>Lists visited per search; null chooses by the list count (<see cref="ProbeFor"/>).</summary>
    public int? Probe { get; init; }

    /// <summary>Training rows per list, drawn at random from the catalogue (all of it when it has fewer).</summary>
    public int TrainingRowsPerList { get; init; } = 64;

    /// <summary>Seeds the training sample, so one catalogue always gives the same index.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Rows per Upsert while building, which bounds the build's temporary memory.</summary>
    public int BuildBatch { get; init; } = 1_000_000;

    /// <summary>An inverted-file index is rebuilt (in the background, by <see cref="ScalingVectorIndex"/>) once the
    /// count reaches this multiple of the count it was sized for.</summary>
    public double RebuildGrowth { get; init; } = 4;

    public FilterPolicy FilterPolicy { get; init; } = FilterPolicy.Default;

    /// <summary>The kind an index of <paramref name="count"/> vectors gets.</summary>
    public VectorIndexKind KindFor(long count) =>
        count >= ApproximateFrom ? VectorIndexKind.InvertedFile : VectorIndexKind.Exact;

    /// <summary>The power of two nearest 1.3 × √count (at least 16, at most count ÷ <see cref="TrainingRowsPerList"/>),
    /// or <see cref="Lists"/> when set.</summary>
    public int ListsFor(long count)
    {
        if (Lists is { } lists)
        {
            return lists;
        }

        var ideal = 1.3 * Math.Sqrt(Math.Max(count, 1));
        var chosen = 1 << (int)Math.Round(Math.Log2(ideal));
        var trainable = Math.Max(16, count / TrainingRowsPerList);
        return (int)Math.Clamp(chosen, 16, Math.Min(trainable, MaxLists));
    }

    /// <summary>Lists per search for an index of <paramref name="lists"/> lists: 8 up to 4,096 lists, then
    /// 8 × √(lists ÷ 4,096); or <see cref="Probe"/> when set.</summary>
    public int ProbeFor(int lists)
    {
        if (Probe is { } probe)
        {
            return Math.Min(probe, lists);
        }

        return Math.Min(lists, (int)Math.Ceiling(8 * Math.Sqrt(Math.Max(1, lists / 4_096d))));
    }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ApproximateFrom, nameof(ApproximateFrom));
        if (Lists is { } lists)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(lists, 1, nameof(Lists));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(lists, MaxLists, nameof(Lists));
        }

        if (Probe is { } probe)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(probe, 1, nameof(Probe));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(TrainingRowsPerList, 1, nameof(TrainingRowsPerList));
        ArgumentOutOfRangeException.ThrowIfLessThan(BuildBatch, 1, nameof(BuildBatch));
        if (RebuildGrowth is <= 1 || !double.IsFinite(RebuildGrowth))
        {
            throw new ArgumentOutOfRangeException(nameof(RebuildGrowth), RebuildGrowth, "Must be above 1.");
        }

        ArgumentNullException.ThrowIfNull(FilterPolicy, nameof(FilterPolicy));
        FilterPolicy.Validate();
    }
}
