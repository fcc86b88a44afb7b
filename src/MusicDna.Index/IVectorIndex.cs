namespace MusicDna.Index;

/// <summary>
/// What a caller needs of a cosine-similarity index without knowing its kind: live upserts and removals, searches
/// with or without an id filter, and persistence. <see cref="VectorIndex"/> is one index of either kind;
/// <see cref="ScalingVectorIndex"/> swaps in a rebuilt one as the catalogue grows.
/// </summary>
public interface IVectorIndex : IDisposable
{
    int Dimension { get; }

    VectorIndexKind Kind { get; }

    long Count { get; }

    /// <summary>Adds or replaces vectors (row-major, raw: normalised by the index); searchable when it returns.</summary>
    void Upsert(ReadOnlySpan<long> ids, ReadOnlySpan<float> vectors);

    /// <summary>Removes the ids present and returns how many were; none of them is returned by a later search.</summary>
    int Remove(ReadOnlySpan<long> ids);

    /// <summary>Copies the stored (normalised) vector of an id; false, with the destination cleared, when absent.</summary>
    bool TryGetVector(long id, Span<float> normalised);

    /// <summary>The k nearest ids by cosine similarity, best first: min(k, <see cref="Count"/>) of them.</summary>
    IReadOnlyList<SearchHit> Search(ReadOnlySpan<float> query, int k);

    /// <summary>As <see cref="Search(ReadOnlySpan{float}, int)"/>, with a per-search probe depth.</summary>
    IReadOnlyList<SearchHit> Search(ReadOnlySpan<float> query, int k, SearchOptions options);

    /// <summary>The k nearest ids the filter allows, best first: fewer only when fewer allowed ids are present.</summary>
    IReadOnlyList<SearchHit> Search(ReadOnlySpan<float> query, int k, IdFilter filter, SearchOptions? options = null);

    /// <summary>One search per row of the row-major queries.</summary>
    IReadOnlyList<IReadOnlyList<SearchHit>> SearchMany(ReadOnlySpan<float> queries, int k);

    /// <summary>One search per row of the row-major queries, with a per-search probe depth.</summary>
    IReadOnlyList<IReadOnlyList<SearchHit>> SearchMany(ReadOnlySpan<float> queries, int k, SearchOptions options);

    /// <summary>One filtered search per row of the row-major queries.</summary>
    IReadOnlyList<IReadOnlyList<SearchHit>> SearchMany(ReadOnlySpan<float> queries, int k, IdFilter filter, SearchOptions? options = null);

    /// <summary>Writes the index to a file <see cref="VectorIndex.Load"/> reads back.</summary>
    void Save(string path);
}
