namespace MusicDna.Catalogue;

/// <summary>The stored sonic-map positions of one model version: row ids (ascending) and their x, y.</summary>
public sealed record StoredMapPositions(long[] RowIds, float[] X, float[] Y)
{
    public int Count => RowIds.Length;
}
