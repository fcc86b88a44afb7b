namespace MusicDna.Model;

/// <summary>
/// Where published models are kept: a folder of versions on one machine (<see cref="ModelStore"/>), or rows in the
/// shared PostgreSQL database so that replicas need no shared file system. Publication has two steps: a model is
/// stored (and numbered), then activated once its vectors are stored too; readers load only activated models.
/// </summary>
public interface IModelStore
{
    /// <summary>Stores <paramref name="model"/> as the next version; returns the manifest with its version and creation time.</summary>
    Task<ModelManifest> PublishAsync(ModelManifest manifest, TrainedAutoencoder model, CancellationToken cancellationToken = default);

    /// <summary>Makes a stored version the one every reader loads as the newest (a no-op where storing already does).</summary>
    Task ActivateAsync(long version, CancellationToken cancellationToken = default);

    /// <summary>The newest activated version, or 0 when there is none.</summary>
    Task<long> LatestVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A folder on this machine where files derived from one version (its saved serving index) are kept: the version's
    /// own folder for <see cref="ModelStore"/>; a folder of this replica's data directory for a store in a database.
    /// Whatever is read back from it is checked against the catalogue before it serves, so it is a cache, never the
    /// record.
    /// </summary>
    string IndexDirectory(long version);

    /// <summary>
    /// Deletes the saved indexes of versions older than <paramref name="servedVersion"/> where they are kept apart from
    /// their models (a store in a database: this replica's folders); returns the versions removed. Newer versions'
    /// folders are kept (one may be being built). <see cref="ModelStore"/> keeps each index inside its version's
    /// folder, beside the model, and removes nothing.
    /// </summary>
    IReadOnlyList<long> RemoveIndexesOlderThan(long servedVersion);

    /// <summary>The newest activated model, or null when there is none.</summary>
    Task<PublishedModel?> LoadLatestAsync(CancellationToken cancellationToken = default);
}
