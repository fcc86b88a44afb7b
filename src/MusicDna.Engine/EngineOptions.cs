using System.ComponentModel.DataAnnotations;

namespace MusicDna.Engine;

/// <summary>Where the engine keeps its data and how it uses the machine. Bound from the "MusicDna" section.</summary>
public sealed class EngineOptions
{
    public const string SectionName = "MusicDna";

    /// <summary>Folder for the catalogue file and the model versions. Created when missing.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// OpenMP threads FAISS may use per search. One: searches run per request on the server's own thread
    /// pool, and several OpenMP teams on 2 cores fight each other (see DESIGN.md).
    /// </summary>
    [Range(1, 256)]
    public int SearchThreads { get; set; } = 1;

    /// <summary>Fewest catalogue tracks Train accepts: below this a model learns nothing useful.</summary>
    [Range(10, int.MaxValue)]
    public int MinimumTrainingTracks { get; set; } = 50;

    /// <summary>Tracks embedded per encoder call when (re)building an index.</summary>
    [Range(1, 1_000_000)]
    public int EmbeddingBatchSize { get; set; } = 8192;

    public string CataloguePath => Path.Combine(DataDirectory, "catalogue.db");

    public string ModelsDirectory => Path.Combine(DataDirectory, "models");
}
