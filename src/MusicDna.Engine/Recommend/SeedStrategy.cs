namespace MusicDna.Engine.Recommend;

/// <summary>How several seeds combine into one score per track (documented on the contract's SeedStrategy).</summary>
public enum SeedStrategy
{
    /// <summary>Cosine to one query vector: weighted positives minus weighted negatives.</summary>
    AverageVector,

    /// <summary>Best weighted positive cosine minus best weighted negative cosine.</summary>
    BestScore,
}
