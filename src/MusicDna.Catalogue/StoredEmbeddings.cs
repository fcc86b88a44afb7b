namespace MusicDna.Catalogue;

/// <summary>The stored latent vectors of one model version: row ids and their row-major vectors.</summary>
public sealed record StoredEmbeddings(long[] RowIds, float[] Vectors, int Dimension)
{
    public int Count => RowIds.Length;
}
