using Microsoft.Extensions.Logging;
using MusicDna.Catalogue;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Ingest;
using MusicDna.Engine.Training;
using MusicDna.Model;

namespace MusicDna.Engine.Snapshots;

/// <summary>
/// The one writer of what is served: it ingests and deletes tracks in the catalogue and the serving snapshot,
/// publishes trained models as new snapshots, loads the newest model at start-up, and applies what other replicas
/// wrote to a shared catalogue. All of it passes through one gate, so a track ingested while a model is being
/// published is embedded under exactly one of the two models and never lost between them. Order of writes (for
/// crash safety): catalogue rows with their vectors (one transaction), then the in-memory snapshot; when a snapshot
/// is built, any row without a stored vector under its model is embedded again, so a crash between two steps (or a
/// row another replica wrote under an older model) heals itself.
/// </summary>
public sealed class ServingPublisher(
    ITrackCatalogue catalogue,
    IModelStore modelStore,
    ModelSnapshotHolder snapshots,
    EngineOptions options,
    ILogger<ServingPublisher> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The version of the serving model (0 = none).</summary>
    public long ServingVersion => snapshots.CurrentVersion;

    /// <summary>
    /// Upserts valid tracks in one transaction with their vectors (where a model serves), then indexes them, so they
    /// are recommendable when this returns. Cancellation is honoured only before the commit: once rows are committed
    /// they are always indexed too.
    /// </summary>
    public async Task<IngestOutcome> IngestAsync(IReadOnlyList<Track> tracks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        if (tracks.Count == 0)
        {
            return new IngestOutcome(0, 0, snapshots.CurrentVersion);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var lease = snapshots.TryAcquire();
            if (lease is null)
            {
                var stored = await catalogue.UpsertAsync(tracks, cancellationToken).ConfigureAwait(false);
                return new IngestOutcome(stored.Inserted, stored.Updated, 0);
            }

            var snapshot = lease.Snapshot;
            var vectors = snapshot.Embed([.. tracks.Select(t => t.Features)]);
            var outcome = await catalogue.UpsertAsync(tracks, new VectorBatch(snapshot.Version, vectors, snapshot.LatentSize), cancellationToken)
                .ConfigureAwait(false);
            snapshot.Upsert(outcome.RowIds, tracks, vectors);
            return new IngestOutcome(outcome.Inserted, outcome.Updated, snapshot.Version);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Deletes tracks from the catalogue (durably, with their vectors) and then from the serving snapshot, so they are
    /// never recommended again once this returns. Not cancellable once the delete has committed.
    /// </summary>
    public async Task<DeleteOutcome> DeleteAsync(IReadOnlyCollection<string> trackIds, bool allowMissing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trackIds);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var outcome = await catalogue.DeleteAsync(trackIds, allowMissing, cancellationToken).ConfigureAwait(false);
            if (outcome.Deleted > 0)
            {
                using var lease = snapshots.TryAcquire();
                lease?.Snapshot.Remove(outcome.RowIds);
            }

            return outcome;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Loads the newest stored model (if any) with its tracks and makes it serve: at start-up, and when another
    /// replica published a newer one. Returns the serving version.</summary>
    public async Task<long> LoadLatestAsync(CancellationToken cancellationToken)
    {
        var newest = await modelStore.LatestVersionAsync(cancellationToken).ConfigureAwait(false);
        if (newest == 0)
        {
            EngineLog.NoModelYet(logger);
            return 0;
        }

        if (newest <= snapshots.CurrentVersion)
        {
            return snapshots.CurrentVersion;
        }

        var latest = await modelStore.LoadLatestAsync(cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return snapshots.CurrentVersion;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (latest.Manifest.Version <= snapshots.CurrentVersion)
            {
                latest.Dispose();
                return snapshots.CurrentVersion;
            }

            ModelSnapshot snapshot;
            try
            {
                snapshot = await BuildSnapshotAsync(latest.Manifest, latest.Autoencoder, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                latest.Dispose();
                throw;
            }

            snapshots.Publish(snapshot);
            EngineLog.ModelLoaded(logger, snapshot.Version, snapshot.TrackCount);
            return snapshot.Version;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Stores a freshly trained model as the next version, embeds the whole catalogue under it (storing the vectors),
    /// activates it for other replicas (which load those vectors instead of embedding again) and swaps it in.
    /// Not cancellable: it starts only after training finished, and a half-published model must not exist.
    /// </summary>
    public async Task<TrainingOutcome> PublishModelAsync(ModelManifest manifest, TrainedAutoencoder model)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var stored = await modelStore.PublishAsync(manifest, model, CancellationToken.None).ConfigureAwait(false);
            var snapshot = await BuildSnapshotAsync(stored, model, CancellationToken.None).ConfigureAwait(false);
            try
            {
                // Activated before it serves here: a model that cannot be activated serves nowhere, not here alone.
                await modelStore.ActivateAsync(stored.Version, CancellationToken.None).ConfigureAwait(false);
            }
            catch
            {
                snapshot.DisposeIndexOnly();
                throw;
            }

            snapshots.Publish(snapshot);
            var removed = await catalogue.DeleteEmbeddingsExceptAsync(snapshot.Version, CancellationToken.None).ConfigureAwait(false);
            EngineLog.ModelPublished(logger, snapshot.Version, snapshot.TrackCount, removed);
            return new TrainingOutcome(stored, snapshot.TrackCount);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Applies changes another replica committed to the shared catalogue: changed tracks enter the serving snapshot
    /// with their stored vector (embedded here, and stored, when none exists under the serving model), deleted ones
    /// leave it. A track already served exactly as changed is left alone, so a replica's own writes cost nothing
    /// when they come back through the feed. Returns how many tracks changed in memory.
    /// </summary>
    public async Task<int> ApplyChangesAsync(CatalogueChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var lease = snapshots.TryAcquire();
            if (lease is null)
            {
                return 0;
            }

            var snapshot = lease.Snapshot;
            var removed = changes.DeletedRowIds.Where(id => snapshot.Tracks.TryGet(id, out _)).ToList();
            if (removed.Count > 0)
            {
                snapshot.Remove(removed);
            }

            var latentSize = snapshot.LatentSize;
            var withVector = new Batch(Math.Max(1, changes.Upserted.Count), latentSize);
            var withoutVector = new List<CatalogueEntry>();
            foreach (var change in changes.Upserted)
            {
                var entry = change.Entry;
                if (snapshot.Tracks.TryGet(entry.Id, out var served) && TrackContent.Same(served.Track, entry.Track))
                {
                    continue;
                }

                if (change.Vector is { } vector && changes.ModelVersion == snapshot.Version && vector.Length == latentSize)
                {
                    withVector.Add(entry, vector);
                }
                else
                {
                    withoutVector.Add(entry);
                }
            }

            var changed = removed.Count + withVector.Count + withoutVector.Count;
            withVector.MoveInto(snapshot);
            await EmbedAndStoreAsync(snapshot, withoutVector, cancellationToken).ConfigureAwait(false);
            return changed;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// One pass over the catalogue fills a new snapshot: stored vectors are used as they are; rows without one under
    /// this model (all of them for a new model, a few after a crash) are embedded and their vectors stored.
    /// </summary>
    private async Task<ModelSnapshot> BuildSnapshotAsync(ModelManifest manifest, TrainedAutoencoder model, CancellationToken cancellationToken)
    {
        var snapshot = new ModelSnapshot(manifest, model);
        try
        {
            var latentSize = snapshot.LatentSize;
            var stored = await catalogue.LoadEmbeddingsAsync(manifest.Version, latentSize, cancellationToken).ConfigureAwait(false);
            var withVector = new Batch(options.EmbeddingBatchSize, latentSize);
            var withoutVector = new List<CatalogueEntry>(options.EmbeddingBatchSize);
            var embedded = 0;
            await foreach (var entry in catalogue.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var position = Array.BinarySearch(stored.RowIds, entry.Id);
                if (position >= 0)
                {
                    withVector.Add(entry, stored.Vectors.AsSpan(position * latentSize, latentSize));
                    if (withVector.IsFull)
                    {
                        withVector.MoveInto(snapshot);
                    }

                    continue;
                }

                withoutVector.Add(entry);
                if (withoutVector.Count == options.EmbeddingBatchSize)
                {
                    embedded += await EmbedAndStoreAsync(snapshot, withoutVector, cancellationToken).ConfigureAwait(false);
                }
            }

            withVector.MoveInto(snapshot);
            embedded += await EmbedAndStoreAsync(snapshot, withoutVector, cancellationToken).ConfigureAwait(false);
            EngineLog.SnapshotBuilt(logger, manifest.Version, stored.Count, embedded);
            return snapshot;
        }
        catch
        {
            // The model belongs to the caller until the snapshot is published: free only the index.
            snapshot.DisposeIndexOnly();
            throw;
        }
    }

    private async Task<int> EmbedAndStoreAsync(ModelSnapshot snapshot, List<CatalogueEntry> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        var rowIds = batch.Select(e => e.Id).ToArray();
        var vectors = snapshot.Embed([.. batch.Select(e => e.Track.Features)]);
        await catalogue.SaveEmbeddingsAsync(snapshot.Version, rowIds, vectors, snapshot.LatentSize, cancellationToken).ConfigureAwait(false);
        snapshot.Upsert(rowIds, [.. batch.Select(e => e.Track)], vectors);
        var count = batch.Count;
        batch.Clear();
        return count;
    }

    /// <summary>Catalogue rows with their stored vectors, gathered to enter a snapshot in batches.</summary>
    private sealed class Batch(int capacity, int latentSize)
    {
        private readonly List<long> _rowIds = new(capacity);
        private readonly List<Track> _tracks = new(capacity);
        private readonly float[] _vectors = new float[capacity * latentSize];

        public bool IsFull => _rowIds.Count == capacity;

        public int Count => _rowIds.Count;

        public void Add(CatalogueEntry entry, ReadOnlySpan<float> vector)
        {
            vector.CopyTo(_vectors.AsSpan(_rowIds.Count * latentSize, latentSize));
            _rowIds.Add(entry.Id);
            _tracks.Add(entry.Track);
        }

        public void MoveInto(ModelSnapshot snapshot)
        {
            if (_rowIds.Count == 0)
            {
                return;
            }

            snapshot.Upsert(_rowIds, _tracks, _vectors.AsSpan(0, _rowIds.Count * latentSize));
            _rowIds.Clear();
            _tracks.Clear();
        }
    }
}
