namespace MusicDna.Catalogue;

/// <summary>Latent vectors computed under one model: row-major, one row of <paramref name="Dimension"/> values per track.</summary>
public sealed record VectorBatch(long ModelVersion, ReadOnlyMemory<float> Values, int Dimension)
{
    /// <summary>Throws unless the batch holds exactly one vector per track.</summary>
    public void EnsureRows(int tracks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Dimension, 1);
        if (Values.Length != tracks * Dimension)
        {
            throw new ArgumentException($"expected {tracks * Dimension} vector values for {tracks} tracks, got {Values.Length}");
        }
    }
}
