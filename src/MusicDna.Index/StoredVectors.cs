namespace MusicDna.Index;

/// <summary>Every id of an index with its stored (normalised) vector: row i of the row-major
/// <see cref="Vectors"/> belongs to <see cref="Ids"/>[i].</summary>
public sealed record StoredVectors(long[] Ids, float[] Vectors, int Dimension)
{
    public int Count => Ids.Length;
}
