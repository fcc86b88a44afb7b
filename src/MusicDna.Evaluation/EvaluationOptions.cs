using MusicDna.Model;

namespace MusicDna.Evaluation;

/// <summary>
/// What to evaluate and how. <see cref="Served"/> and <see cref="ServedTraining"/> describe the deep autoencoder
/// under test (Train's defaults unless overridden while tuning); the simple autoencoder and the pure-reconstruction
/// variant reuse <see cref="ServedTraining"/> with their own shape or without the genre term.
/// </summary>
public sealed record EvaluationOptions
{
    public int Seed { get; init; } = 42;

    /// <summary>Share of tracks held out of training (the "20" of an 80/20 split).</summary>
    public double HeldOutFraction { get; init; } = 0.2;

    /// <summary>Rows of the seeded sample the exact silhouette runs on.</summary>
    public int SilhouetteSampleSize { get; init; } = 10_000;

    public IReadOnlyList<int> ClusterCounts { get; init; } = [5, 10, 20];

    public int Queries { get; init; } = 2_000;

    public int Neighbours { get; init; } = 10;

    /// <summary>Tracks drawn into the PNG map.</summary>
    public int MapSampleSize { get; init; } = 3_000;

    /// <summary>Genres shown on the map (the most separated ones, chosen from the data).</summary>
    public int MapGenres { get; init; } = 6;

    public AutoencoderConfig Served { get; init; } = new();

    public TrainingOptions ServedTraining { get; init; } = new();

    /// <summary>
    /// When the served objective is pure reconstruction, also train the deep autoencoder with this genre weight
    /// (0 = skip), so the table shows what the genre term buys and costs.
    /// </summary>
    public double ComparisonGenreWeight { get; init; } = 0.1;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeldOutFraction, 0, nameof(HeldOutFraction));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(HeldOutFraction, Core.Tracks.DataSplit.MaxFraction, nameof(HeldOutFraction));
        ArgumentOutOfRangeException.ThrowIfLessThan(SilhouetteSampleSize, 2, nameof(SilhouetteSampleSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Queries, 1, nameof(Queries));
        ArgumentOutOfRangeException.ThrowIfLessThan(Neighbours, 1, nameof(Neighbours));
        ArgumentOutOfRangeException.ThrowIfLessThan(MapSampleSize, 1, nameof(MapSampleSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MapGenres, 1, nameof(MapGenres));
        if (ClusterCounts.Count == 0 || ClusterCounts.Any(k => k < 2))
        {
            throw new ArgumentException("At least one cluster count, each 2 or more, is needed.", nameof(ClusterCounts));
        }

        Served.Validate();
        ServedTraining.Validate();
    }
}
