namespace MusicDna.Index;

/// <summary>How a <see cref="VectorIndex"/> finds neighbours.</summary>
public enum VectorIndexKind
{
    /// <summary>Every stored vector is scored: exact results, cost linear in the count (FAISS IndexFlatIP).</summary>
    Exact = 0,

    /// <summary>Vectors are grouped into lists around trained centroids and a search scores only the lists nearest
    /// the query (FAISS IndexIVFFlat): approximate results, cost roughly probe × count / lists.</summary>
    InvertedFile = 1,
}
