namespace MusicDna.Index;

/// <summary>Per-search knobs; <see cref="Default"/> leaves everything to the index.</summary>
public sealed record SearchOptions
{
    public static SearchOptions Default { get; } = new();

    /// <summary>Inverted lists to visit per query (a deeper search: higher recall, more time); 0 uses the index's
    /// <see cref="VectorIndex.Probe"/>, a value above <see cref="VectorIndex.Lists"/> visits every list. The exact
    /// kind ignores it.</summary>
    public int Probe { get; init; }

    /// <summary>How a filtered search runs; ignored without a filter.</summary>
    public FilterStrategy FilterStrategy { get; init; } = FilterStrategy.Auto;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Probe, nameof(Probe));
        if (!Enum.IsDefined(FilterStrategy))
        {
            throw new ArgumentOutOfRangeException(nameof(FilterStrategy), FilterStrategy, "Unknown filter strategy.");
        }
    }
}
