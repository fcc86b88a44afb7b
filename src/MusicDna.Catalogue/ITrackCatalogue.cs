using MusicDna.Core.Tracks;

namespace MusicDna.Catalogue;

/// <summary>
/// The catalogue of record, as the engine uses it: tracks upserted by track id, each with a row id that is also its
/// id in the vector index and is never given to another track (so page tokens, which hold served row ids, stay valid
/// across deletes), and the tracks' latent vectors per model version. Two implementations: the embedded SQLite file
/// (<see cref="TrackCatalogue"/>) and a PostgreSQL database shared by many replicas (MusicDna.PostgreSql).
/// </summary>
public interface ITrackCatalogue : IDisposable
{
    /// <summary>Where the catalogue lives, for logs: a file path or a database name (never a password).</summary>
    string Location { get; }

    /// <summary>
    /// Inserts new tracks and replaces existing ones (same track id) in one transaction: all or nothing. A track id
    /// repeated within <paramref name="tracks"/> is applied in order, so the last row wins.
    /// </summary>
    Task<UpsertOutcome> UpsertAsync(IReadOnlyList<Track> tracks, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="UpsertAsync(IReadOnlyList{Track}, CancellationToken)"/>, storing each track's latent vector
    /// (row i of <paramref name="vectors"/> for track i; for a repeated id, the last row's) in the same transaction,
    /// so a track is never committed without the vector its writer computed.
    /// </summary>
    Task<UpsertOutcome> UpsertAsync(IReadOnlyList<Track> tracks, VectorBatch vectors, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the tracks with these track ids, with their vectors under every model, in one transaction. With
    /// <paramref name="allowMissing"/> false and any id not in the catalogue, nothing is deleted and the outcome
    /// lists the missing ids. Deleted row ids are never reused.
    /// </summary>
    Task<DeleteOutcome> DeleteAsync(IReadOnlyCollection<string> trackIds, bool allowMissing, CancellationToken cancellationToken = default);

    /// <summary>Which catalogue this is and its revision now (<see cref="CatalogueStamp"/>).</summary>
    Task<CatalogueStamp> ReadStampAsync(CancellationToken cancellationToken = default);

    /// <summary>Number of tracks in the catalogue.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>The track with this track id, or null.</summary>
    Task<CatalogueEntry?> FindAsync(string trackId, CancellationToken cancellationToken = default);

    /// <summary>Every stored version of one song (Core's <c>SongKey</c>, computed in C# at upsert and stored with the
    /// track), in row id order.</summary>
    Task<IReadOnlyList<CatalogueEntry>> FindSongVersionsAsync(string songId, CancellationToken cancellationToken = default);

    /// <summary>The tracks with these row ids; ids not in the catalogue are simply absent from the result.</summary>
    Task<IReadOnlyDictionary<long, Track>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Streams every track in row id order (the order tracks first entered the catalogue).</summary>
    IAsyncEnumerable<CatalogueEntry> ReadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores (replacing) the latent vectors of these rows under one model version, in one transaction.</summary>
    Task SaveEmbeddingsAsync(
        long modelVersion, IReadOnlyList<long> rowIds, ReadOnlyMemory<float> vectors, int dimension,
        CancellationToken cancellationToken = default);

    /// <summary>Loads every stored vector of one model version, in row id order, for building a snapshot.</summary>
    Task<StoredEmbeddings> LoadEmbeddingsAsync(long modelVersion, int dimension, CancellationToken cancellationToken = default);

    /// <summary>Deletes the vectors of every model version other than <paramref name="keepVersion"/>.</summary>
    Task<int> DeleteEmbeddingsExceptAsync(long keepVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tracks whose title or artist names hold, for every one of <paramref name="words"/>, a word starting with it
    /// (case-insensitive, accents ignored): best text match first (title words weigh twice artist words), then
    /// popularity, then track id; <c>Truncated</c> when more than <paramref name="limit"/> matched.
    /// </summary>
    Task<TrackSearchResult> SearchAsync(IReadOnlyList<string> words, int limit, CancellationToken cancellationToken = default);

    /// <summary>Stores (replacing) the sonic-map positions of these rows under one model version, in one transaction.</summary>
    Task SaveMapPositionsAsync(
        long modelVersion, IReadOnlyList<long> rowIds, ReadOnlyMemory<float> x, ReadOnlyMemory<float> y,
        CancellationToken cancellationToken = default);

    /// <summary>Loads every stored sonic-map position of one model version, in row id order.</summary>
    Task<StoredMapPositions> LoadMapPositionsAsync(long modelVersion, CancellationToken cancellationToken = default);

    /// <summary>Deletes the sonic-map positions of every model version other than <paramref name="keepVersion"/>.</summary>
    Task<int> DeleteMapPositionsExceptAsync(long keepVersion, CancellationToken cancellationToken = default);
}
