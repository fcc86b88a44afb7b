using Microsoft.Extensions.Logging;
using MusicDna.Catalogue;
using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using MusicDna.Index;
using MusicDna.Model;

namespace MusicDna.Engine;

/// <summary>
/// Keeps the catalogue, the stored vectors and the serving index in step. Ingest and model publication both
/// pass through one gate, so a track ingested while a model is being published is embedded under exactly one
/// of the two models and never lost between them. Order of writes (for crash safety): catalogue rows, then
/// their vectors, then the in-memory index; at start-up any row without a vector under the serving model is
/// embedded again, so a crash between two steps heals itself.
/// </summary>
public sealed class CatalogueIndexer(
    TrackCatalogue catalogue,
    ModelStore modelStore,
    ModelSnapshotHolder snapshots,
    EngineOptions options,
    ILogger<CatalogueIndexer> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Upserts valid tracks in one transaction, then (where a model serves) embeds and indexes them, so they are
    /// recommendable when this returns. Cancellation is honoured only before the commit: once rows are committed
    /// they are always embedded too.
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
            var outcome = await catalogue.UpsertAsync(tracks, cancellationToken).ConfigureAwait(false);
            using var lease = snapshots.TryAcquire();
            if (lease is null)
            {
                return new IngestOutcome(outcome.Inserted, outcome.Updated, 0);
            }

            var snapshot = lease.Snapshot;
            var vectors = snapshot.Embed([.. tracks.Select(t => t.Features)]);
            await catalogue.SaveEmbeddingsAsync(snapshot.Version, outcome.RowIds, vectors, snapshot.LatentSize, CancellationToken.None)
                .ConfigureAwait(false);
            // Facts before the index: a search that finds an id must find its facts.
            snapshot.Tracks.Upsert(outcome.RowIds, tracks, vectors, snapshot.LatentSize);
            snapshot.Index.Upsert([.. outcome.RowIds], vectors);
            return new IngestOutcome(outcome.Inserted, outcome.Updated, snapshot.Version);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Loads the newest stored model (if any) with its index and makes it serve. Called once at start-up.</summary>
    public async Task<long> LoadLatestAsync(CancellationToken cancellationToken)
    {
        var latest = modelStore.LoadLatest();
        if (latest is null)
        {
            EngineLog.NoModelYet(logger);
            return 0;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = await BuildSnapshotAsync(latest.Manifest, latest.Autoencoder, cancellationToken).ConfigureAwait(false);
            snapshots.Publish(snapshot);
            return snapshot.Version;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Stores a freshly trained model as the next version, embeds the whole catalogue under it and swaps it in.
    /// Not cancellable: it starts only after training finished, and a half-published model must not exist.
    /// </summary>
    public async Task<TrainingOutcome> PublishAsync(ModelManifest manifest, TrainedAutoencoder model)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var stored = modelStore.Publish(manifest, model);
            var snapshot = await BuildSnapshotAsync(stored, model, CancellationToken.None).ConfigureAwait(false);
            snapshots.Publish(snapshot);
            var removed = await catalogue.DeleteEmbeddingsExceptAsync(snapshot.Version, CancellationToken.None).ConfigureAwait(false);
            EngineLog.ModelPublished(logger, snapshot.Version, snapshot.Index.Count, removed);
            return new TrainingOutcome(stored, snapshot.Index.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<ModelSnapshot> BuildSnapshotAsync(ModelManifest manifest, TrainedAutoencoder model, CancellationToken cancellationToken)
    {
        var pipeline = FeaturePipeline.FromParameters(manifest.Pipeline);
        var latentSize = model.Config.LatentSize;
        var index = new VectorIndex(latentSize);
        try
        {
            var stored = await catalogue.LoadEmbeddingsAsync(manifest.Version, latentSize, cancellationToken).ConfigureAwait(false);
            index.Upsert(stored.RowIds, stored.Vectors);

            // One pass over the catalogue fills the facts table; rows without a vector under this model (all of
            // them for a new model, a few after a crash) are embedded on the way.
            var snapshot = new ModelSnapshot(manifest, pipeline, model, index);
            var batch = new List<CatalogueEntry>(options.EmbeddingBatchSize);
            var embedded = 0;
            await foreach (var entry in catalogue.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var position = Array.BinarySearch(stored.RowIds, entry.Id);
                if (position >= 0)
                {
                    snapshot.Tracks.Upsert(entry.Id, entry.Track, stored.Vectors.AsSpan(position * latentSize, latentSize));
                    continue;
                }

                batch.Add(entry);
                if (batch.Count == options.EmbeddingBatchSize)
                {
                    embedded += await EmbedAndStoreAsync(snapshot, batch, cancellationToken).ConfigureAwait(false);
                }
            }

            embedded += await EmbedAndStoreAsync(snapshot, batch, cancellationToken).ConfigureAwait(false);
            EngineLog.SnapshotBuilt(logger, manifest.Version, stored.Count, embedded);
            return snapshot;
        }
        catch
        {
            index.Dispose();
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
        snapshot.Tracks.Upsert(rowIds, [.. batch.Select(e => e.Track)], vectors, snapshot.LatentSize);
        snapshot.Index.Upsert(rowIds, vectors);
        var count = batch.Count;
        batch.Clear();
        return count;
    }
}
