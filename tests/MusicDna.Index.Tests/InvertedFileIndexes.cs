namespace MusicDna.Index.Tests;

/// <summary>Small inverted-file indexes for tests: trained on their own data, sized so a probe of a few lists is
/// genuinely approximate.</summary>
internal static class InvertedFileIndexes
{
    public const int Dimension = 6;

    public static VectorIndex Build(float[] data, long[] ids, int lists = 32, int probe = 4)
    {
        var index = VectorIndex.CreateInvertedFile(Dimension, lists, probe);
        index.Train(data);
        index.Upsert(ids, data);
        return index;
    }
}
