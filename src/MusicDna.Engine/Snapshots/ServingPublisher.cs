using Microsoft.Extensions.Logging;
using MusicDna.Catalogue;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Ingest;
using MusicDna.Engine.Map;
using MusicDna.Engine.Training;
using MusicDna.Index;
using MusicDna.Model;

namespace MusicDna.Engine.Snapshots;

/// <summary>
/// The one writer of what is served: it ingests tracks into the catalogue and the serving snapshot, publishes
/// trained models as new snapshots, and loads the newest model at start-up. All three pass through one gate, so a
/// track ingested while a model is being published is embedded under exactly one of the two models and never lost
/// between them. Order of writes (for crash safety): catalogue rows, then their vectors, then the in-memory
/// snapshot; when a snapshot is built, any row without a stored vector under its model is embedded again, so a
/// crash between two steps heals itself at the next start.
/// </summary>
public sealed class ServingPublisher(
    TrackCatalogue catalogue,
    ModelStore modelStore,
    ModelSnapshotHolder snapshots,
    EngineOptions options,
    ILogger<ServingPublisher> logger) : IDisposable
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
            var (placedRows, placed) = await PlaceOnMapAsync(snapshot, outcome.RowIds, tracks, vectors).ConfigureAwait(false);
            snapshot.Upsert(outcome.RowIds, tracks, outcome.SongIds, vectors);
            snapshot.Map.Set(placedRows, placed.X, placed.Y);
            return new IngestOutcome(outcome.Inserted, outcome.Updated, snapshot.Version);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Loads the newest stored model (if any) with its tracks and makes it serve. Called once at start-up.</summary>
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
    public async Task<TrainingOutcome> PublishModelAsync(ModelManifest manifest, TrainedAutoencoder model)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var stored = modelStore.Publish(manifest, model);
            var snapshot = await BuildSnapshotAsync(stored, model, CancellationToken.None).ConfigureAwait(false);
            snapshots.Publish(snapshot);
            var removed = await catalogue.DeleteEmbeddingsExceptAsync(snapshot.Version, CancellationToken.None).ConfigureAwait(false);
            await catalogue.DeleteMapPositionsExceptAsync(snapshot.Version, CancellationToken.None).ConfigureAwait(false);
            EngineLog.ModelPublished(logger, snapshot.Version, snapshot.TrackCount, removed);
            return new TrainingOutcome(stored, snapshot.TrackCount);
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
            snapshot.CalibrateScores();
            EngineLog.SnapshotBuilt(logger, manifest.Version, stored.Count, embedded);
            await FillMapAsync(snapshot, cancellationToken).ConfigureAwait(false);
            return snapshot;
        }
        catch
        {
            // The model belongs to the caller until the snapshot is published: free only the index.
            snapshot.DisposeIndexOnly();
            throw;
        }
    }

    /// <summary>
    /// Gives every track of a new snapshot its map position: the stored layout of its model where there is one (tracks
    /// without a stored position, ingested since or embedded after a crash, are placed by their neighbours), otherwise
    /// a new layout of the whole snapshot, stored before it serves.
    /// </summary>
    private async Task FillMapAsync(ModelSnapshot snapshot, CancellationToken cancellationToken)
    {
        var stored = await catalogue.LoadMapPositionsAsync(snapshot.Version, cancellationToken).ConfigureAwait(false);
        var rows = snapshot.Tracks.Rows.Select(r => r.Key).Order().ToArray();
        if (stored.Count == 0)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var vectors = new float[rows.Length * snapshot.LatentSize];
            for (var i = 0; i < rows.Length; i++)
            {
                snapshot.Tracks.TryGet(rows[i], out var facts);
                facts!.Vector.CopyTo(vectors.AsSpan(i * snapshot.LatentSize));
            }

            var (x, y) = SonicMapLayout.Compute(snapshot.Index, rows, vectors, cancellationToken);
            await catalogue.SaveMapPositionsAsync(snapshot.Version, rows, x, y, cancellationToken).ConfigureAwait(false);
            snapshot.Map.Set(rows, x, y);
            EngineLog.MapLaidOut(logger, snapshot.Version, rows.Length, clock.ElapsedMilliseconds);
            return;
        }

        snapshot.Map.Set(stored.RowIds, stored.X, stored.Y);
        var missing = rows.Where(r => !snapshot.Map.TryGet(r, out _)).ToArray();
        var missingVectors = new float[missing.Length * snapshot.LatentSize];
        for (var i = 0; i < missing.Length; i++)
        {
            snapshot.Tracks.TryGet(missing[i], out var facts);
            facts!.Vector.CopyTo(missingVectors.AsSpan(i * snapshot.LatentSize));
        }

        var placed = NeighbourPlacement.Place(snapshot, missing, missingVectors);
        await catalogue.SaveMapPositionsAsync(snapshot.Version, missing, placed.X, placed.Y, cancellationToken).ConfigureAwait(false);
        snapshot.Map.Set(missing, placed.X, placed.Y);
        EngineLog.MapLoaded(logger, snapshot.Version, stored.Count, missing.Length);
    }

    /// <summary>
    /// Map positions for ingested tracks that need one (new to the snapshot, or whose features changed; a re-sent
    /// unchanged track keeps its place), stored before they are returned. Runs before the tracks enter the snapshot,
    /// so their neighbours are tracks already on the map.
    /// </summary>
    private async Task<(long[] RowIds, (float[] X, float[] Y) Positions)> PlaceOnMapAsync(
        ModelSnapshot snapshot, IReadOnlyList<long> rowIds, IReadOnlyList<Track> tracks, float[] vectors)
    {
        var latentSize = snapshot.LatentSize;
        var needed = new List<int>();
        for (var i = 0; i < rowIds.Count; i++)
        {
            var unchanged = snapshot.Tracks.TryGet(rowIds[i], out var previous)
                && previous.Track.Features.AsSpan().SequenceEqual(tracks[i].Features)
                && snapshot.Map.TryGet(rowIds[i], out _);
            if (!unchanged)
            {
                needed.Add(i);
            }
        }

        // A track id repeated within the batch is one row: place it once (its last row's vector).
        var last = new Dictionary<long, int>();
        foreach (var i in needed)
        {
            last[rowIds[i]] = i;
        }

        var placeRows = last.Keys.ToArray();
        var unit = new float[placeRows.Length * latentSize];
        for (var p = 0; p < placeRows.Length; p++)
        {
            vectors.AsSpan(last[placeRows[p]] * latentSize, latentSize).CopyTo(unit.AsSpan(p * latentSize));
        }

        VectorMath.NormalizeRows(unit, latentSize);
        var placed = NeighbourPlacement.Place(snapshot, placeRows, unit);
        await catalogue.SaveMapPositionsAsync(snapshot.Version, placeRows, placed.X, placed.Y, CancellationToken.None).ConfigureAwait(false);
        return (placeRows, placed);
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
        snapshot.Upsert(rowIds, [.. batch.Select(e => e.Track)], [.. batch.Select(e => e.SongId)], vectors);
        var count = batch.Count;
        batch.Clear();
        return count;
    }

    /// <summary>Catalogue rows with their stored vectors, gathered to enter a snapshot in batches.</summary>
    private sealed class Batch(int capacity, int latentSize)
    {
        private readonly List<long> _rowIds = new(capacity);
        private readonly List<Track> _tracks = new(capacity);
        private readonly List<string> _songIds = new(capacity);
        private readonly float[] _vectors = new float[capacity * latentSize];

        public bool IsFull => _rowIds.Count == capacity;

        public void Add(CatalogueEntry entry, ReadOnlySpan<float> vector)
        {
            vector.CopyTo(_vectors.AsSpan(_rowIds.Count * latentSize, latentSize));
            _rowIds.Add(entry.Id);
            _tracks.Add(entry.Track);
            _songIds.Add(entry.SongId);
        }

        public void MoveInto(ModelSnapshot snapshot)
        {
            snapshot.Upsert(_rowIds, _tracks, _songIds, _vectors.AsSpan(0, _rowIds.Count * latentSize));
            _rowIds.Clear();
            _tracks.Clear();
            _songIds.Clear();
        }
    }
}
