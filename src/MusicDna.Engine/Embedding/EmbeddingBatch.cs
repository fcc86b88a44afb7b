namespace MusicDna.Engine.Embedding;

/// <summary>Latent vectors, row-major (count × <see cref="Dimension"/>), and the model that produced them.</summary>
public sealed record EmbeddingBatch(long ModelVersion, int Dimension, float[] Vectors)
{
    public int Count => Vectors.Length / Dimension;

    public ReadOnlySpan<float> this[int row] => Vectors.AsSpan(row * Dimension, Dimension);
}
