namespace MusicDna.Server.Bench;

/// <summary>What only the benchmark turns on. Bound from "MusicDna:Bench".</summary>
public sealed class BenchOptions
{
    public const string SectionName = "MusicDna:Bench";

    /// <summary>Maps <see cref="ReferenceFeedService"/> (the bench's Recommend-shaped ceiling). Off by default.</summary>
    public bool ReferenceFeed { get; set; }
}
