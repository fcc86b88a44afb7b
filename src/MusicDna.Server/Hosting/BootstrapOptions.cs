namespace MusicDna.Server.Hosting;

/// <summary>
/// What the server does with an empty data directory: load a CSV catalogue and train a first model,
/// so a fresh install answers Recommend within a minute. Bound from "MusicDna:Bootstrap".
/// </summary>
public sealed class BootstrapOptions
{
    public const string SectionName = "MusicDna:Bootstrap";

    /// <summary>A Spotify-format CSV ingested when the catalogue is empty; empty = start with an empty catalogue.</summary>
    public string CatalogueCsv { get; set; } = "";

    /// <summary>Train a first model (default options) at start-up when none is stored and the catalogue is large enough.</summary>
    public bool TrainWhenNoModel { get; set; } = true;
}
