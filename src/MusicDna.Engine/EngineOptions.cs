using MusicDna.Index;

namespace MusicDna.Engine;

/// <summary>Where the engine keeps its data and how it uses the machine. Bound from the "MusicDna" section; checked at start-up by <see cref="EngineOptionsValidator"/>.</summary>
public sealed class EngineOptions
{
    public const string SectionName = "MusicDna";

    /// <summary>Folder for the catalogue file and the model versions. Created when missing.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// OpenMP threads the index may use per search. One: searches run per request on the server's own thread pool,
    /// and several OpenMP teams on a small machine fight each other (docs/benchmarks.md).
    /// </summary>
    public int SearchThreads { get; set; } = 1;

    /// <summary>Fewest catalogue tracks Train accepts: below this a model learns nothing useful.</summary>
    public int MinimumTrainingTracks { get; set; } = 50;

    /// <summary>
    /// Base64 of at least 32 random bytes that sign page tokens; every replica serving one feed needs the same one.
    /// Unset: a key generated once and kept in the data directory.
    /// </summary>
    public string? PageTokenKey { get; set; }

    /// <summary>Tracks embedded per encoder call when (re)building an index.</summary>
    public int EmbeddingBatchSize { get; set; } = 8192;

    /// <summary>
    /// Catalogues of at least this many tracks are served by an approximate (inverted-file) index, smaller ones by
    /// exact search, which is the best below it (docs/index.md).
    /// </summary>
    public long ApproximateIndexFrom { get; set; } = VectorIndexOptions.Default.ApproximateFrom;

    /// <summary>How the serving index is chosen and sized: the measured defaults with this host's threshold.</summary>
    public VectorIndexOptions IndexOptions => VectorIndexOptions.Default with { ApproximateFrom = ApproximateIndexFrom };

    public string CataloguePath => Path.Combine(DataDirectory, "catalogue.db");

    public string ModelsDirectory => Path.Combine(DataDirectory, "models");
}
