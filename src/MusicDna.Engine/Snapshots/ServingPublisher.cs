using System.Runtime.InteropServices;
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
/// The one writer of what is served: it ingests and deletes tracks in the catalogue and the serving snapshot,
/// publishes trained models as new snapshots, loads the newest model at start-up, and applies what other replicas
/// wrote to a shared catalogue. All of it passes through one gate, so a track ingested while a model is being
/// published is embedded under exactly one of the two models and never lost between them. Order of writes (for
/// crash safety): catalogue rows with their vectors (one transaction), then the in-memory snapshot; when a snapshot
/// is built, any row without a stored vector under its model is embedded again, so a crash between two steps (or a
/// row another replica wrote under an older model) heals itself. A snapshot's index is built once over all its
/// tracks and saved beside the model, or loaded from that file (<see cref="SnapshotIndexFile"/>).
/// </summary>
public sealed class ServingPublisher(
    ITrackCatalogue catalogue,
    IModelStore modelStore,
    ModelSnapshotHolder snapshots,
    EngineOptions options,
    EngineCounters counters,
    ILogger<ServingPublisher> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SnapshotTableFile _tableFile = new(modelStore, logger);

    // Snapshots are named by model version (a process builds each version once), not held: a reference would keep an
    // old snapshot's tables alive after a newer one serves. All three are read and written under the gate.
    // The version and snapshot revision whose table was last saved or read back whole: nothing new to write.
    private (long Version, long Revision)? _tableSavedAt;

    // The version of a snapshot that may lack a change committed to the catalogue (its in-memory apply threw): its
    // table is never saved as holding the catalogue, so the next start reads the catalogue whole. 0 = none.
    private long _divergedVersion;

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
            await ApplyCommittedAsync(snapshot, async () =>
            {
                var (placedRows, placed) = await PlaceOnMapAsync(snapshot, outcome.RowIds, tracks, vectors).ConfigureAwait(false);
                snapshot.Upsert(outcome.RowIds, tracks, outcome.SongIds, vectors);
                snapshot.Map.Set(placedRows, placed.X, placed.Y);
            }).ConfigureAwait(false);

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
                if (lease is not null)
                {
                    await ApplyCommittedAsync(lease.Snapshot, () =>
                    {
                        lease.Snapshot.Remove(outcome.RowIds);
                        return Task.CompletedTask;
                    }).ConfigureAwait(false);
                }
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
    public async Task<long> LoadLatestAsync(CancellationToken cancellationToken) =>
        (await LoadLatestAsync(canReplay: false, cancellationToken).ConfigureAwait(false)).Version;

    /// <summary>
    /// As <see cref="LoadLatestAsync(CancellationToken)"/>; with <paramref name="canReplay"/> (a caller that can read
    /// the catalogue's changes after a revision and apply them: a replica's follower), the tracks may be read from
    /// a table saved at an older revision of the catalogue, and <see cref="ServingLoad.ReplayFrom"/> says from which
    /// revision the changes must be applied.
    /// </summary>
    public async Task<ServingLoad> LoadLatestAsync(bool canReplay, CancellationToken cancellationToken)
    {
        var newest = await modelStore.LatestVersionAsync(cancellationToken).ConfigureAwait(false);
        if (newest == 0)
        {
            EngineLog.NoModelYet(logger);
            return new ServingLoad(0, null);
        }

        if (newest <= snapshots.CurrentVersion)
        {
            return new ServingLoad(snapshots.CurrentVersion, null);
        }

        var latest = await modelStore.LoadLatestAsync(cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return new ServingLoad(snapshots.CurrentVersion, null);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (latest.Manifest.Version <= snapshots.CurrentVersion)
            {
                latest.Dispose();
                return new ServingLoad(snapshots.CurrentVersion, null);
            }

            ModelSnapshot snapshot;
            long? replayFrom;
            try
            {
                (snapshot, replayFrom) = await BuildSnapshotAsync(latest.Manifest, latest.Autoencoder, canReplay, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                latest.Dispose();
                throw;
            }

            snapshots.Publish(snapshot);
            EngineLog.ModelLoaded(logger, snapshot.Version, snapshot.TrackCount);
            return new ServingLoad(snapshot.Version, replayFrom);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Saves the serving snapshot's track table beside its model, so the next start reads it whole: at shutdown. The
    /// table is saved as of the catalogue's revision now (every write passes the gate held here, so the snapshot holds
    /// exactly that), or, for a replica, as of <paramref name="appliedRevision"/>, the change-feed position it has
    /// applied everything up to (its next start replays what came after). Nothing is written when the snapshot has not
    /// changed since its table was saved or read, or when it may have missed a committed change.
    /// </summary>
    public async Task SaveServedTableAsync(long? appliedRevision, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var lease = snapshots.TryAcquire();
            if (lease is null || lease.Snapshot.Version == _divergedVersion || _tableSavedAt == (lease.Snapshot.Version, lease.Snapshot.Revision))
            {
                return;
            }

            var snapshot = lease.Snapshot;

            var stamp = await catalogue.ReadStampAsync(cancellationToken).ConfigureAwait(false);
            if (appliedRevision is { } applied)
            {
                stamp = stamp with { Revision = Math.Min(applied, stamp.Revision) };
            }

            if (_tableFile.TrySave(snapshot, stamp))
            {
                _tableSavedAt = (snapshot.Version, snapshot.Revision);
            }
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
            var previousVersion = snapshots.CurrentVersion;
            var (snapshot, _) = await BuildSnapshotAsync(stored, model, canReplay: false, CancellationToken.None).ConfigureAwait(false);
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
            if (previousVersion > 0)
            {
                _tableFile.Remove(previousVersion);
            }

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

    /// <summary>
    /// Applies changes another replica committed to the shared catalogue: changed tracks enter the serving snapshot
    /// with their stored vector (embedded here, and stored, when none exists under the serving model) and the song id
    /// the writer stored, deleted ones leave it (and its map). A track already served exactly as changed is left
    /// alone, so a replica's own writes cost nothing when they come back through the feed. Changed tracks new to the
    /// map, or whose features changed, are placed on it by their neighbours here, in memory: the writer stored its
    /// own placement, which this replica loads at its next start.
    /// Returns how many tracks changed in memory.
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
            var toPlace = new HashSet<long>();
            foreach (var change in changes.Upserted)
            {
                var entry = change.Entry;
                var isServed = snapshot.Tracks.TryGet(entry.Id, out var served);
                if (isServed && TrackContent.Same(served.Track, entry.Track) && served.SongId == entry.SongId)
                {
                    continue;
                }

                if (!isServed || !served.Features.SequenceEqual(entry.Track.Features) || !snapshot.Map.TryGet(entry.Id, out _))
                {
                    toPlace.Add(entry.Id);
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
            // On a failure the follower reads these changes again (its position has not moved), but a table saved
            // meanwhile must not claim them.
            await ApplyCommittedAsync(snapshot, async () =>
            {
                withVector.UpsertInto(snapshot);
                await EmbedAndUpsertAsync(snapshot, withoutVector, cancellationToken).ConfigureAwait(false);
                PlaceInMemory(snapshot, [.. toPlace]);
            }).ConfigureAwait(false);

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
    /// this model (all of them for a new model, a few after a crash) are embedded and their vectors stored. Then one
    /// index over all of them: loaded from the version's saved file where it can be trusted, otherwise built and saved.
    /// </summary>
    /// <remarks>
    /// The tracks come from the version's saved table instead where it may serve (<see cref="SnapshotTableFile"/>):
    /// then only the index is loaded beside it, and the catalogue is not read. A snapshot read from the catalogue has
    /// its table saved before it serves, as of the catalogue's revision before the pass (nothing the pass reads is
    /// older than that; with a replica, what another replica wrote during the pass is replayed after it).
    /// Returns the revision the caller must replay the catalogue's changes from, when the table was saved at an older
    /// one (only with <paramref name="canReplay"/>).
    /// </remarks>
    private async Task<(ModelSnapshot Snapshot, long? ReplayFrom)> BuildSnapshotAsync(
        ModelManifest manifest, TrainedAutoencoder model, bool canReplay, CancellationToken cancellationToken)
    {
        var stamp = await catalogue.ReadStampAsync(cancellationToken).ConfigureAwait(false);
        var saved = _tableFile.TryLoad(manifest.Version, model.Config.LatentSize, stamp, canReplay);
        var snapshot = saved is null
            ? new ModelSnapshot(manifest, model, options.IndexOptions)
            : new ModelSnapshot(manifest, model, options.IndexOptions, saved.Tracks, saved.Scale);
        try
        {
            if (saved is not null)
            {
                snapshot.Map.Set(saved.MapRows, saved.MapX, saved.MapY);
                IndexSavedTable(snapshot);
                counters.TableLoaded();
            }
            else
            {
                await IndexCatalogueAsync(snapshot, manifest, cancellationToken).ConfigureAwait(false);
                await FillMapAsync(snapshot, cancellationToken).ConfigureAwait(false);
                counters.CataloguePassed();
            }

            // The pass read every catalogue row as objects that are garbage once their values are in the compact track
            // table, and held every stored vector twice (as loaded, and as the index was built from): it ran in methods
            // of its own, so none of it is reachable here, and one compacting collection (large objects too) hands that
            // memory back before the snapshot serves.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            // Up to date on disk: just saved, or read at the catalogue's revision (one read at an older one changes when
            // the caller replays, and is saved at shutdown).
            var onDisk = saved is null ? _tableFile.TrySave(snapshot, stamp) : saved.Revision == stamp.Revision;
            if (onDisk)
            {
                _tableSavedAt = (snapshot.Version, snapshot.Revision);
            }

            return (snapshot, saved is not null && saved.Revision < stamp.Revision ? saved.Revision : null);
        }
        catch
        {
            // The model belongs to the caller until the snapshot is published: free only the index.
            snapshot.DisposeIndexOnly();
            throw;
        }
    }

    /// <summary>
    /// Runs the in-memory half of a write whose catalogue half has committed. Should it throw, the snapshot may lack
    /// what the catalogue holds, and is marked so that its table is never saved as holding the catalogue.
    /// </summary>
    private async Task ApplyCommittedAsync(ModelSnapshot snapshot, Func<Task> apply)
    {
        try
        {
            await apply().ConfigureAwait(false);
        }
        catch
        {
            _divergedVersion = snapshot.Version;
            throw;
        }
    }

    /// <summary>Gives a snapshot read from its saved table its one index: loaded from the version's saved index file
    /// (and brought to hold exactly the table's rows), or built over them.</summary>
    private void IndexSavedTable(ModelSnapshot snapshot)
    {
        var latentSize = snapshot.LatentSize;
        var ids = new long[snapshot.Tracks.Count];
        var vectors = new float[ids.Length * latentSize];
        var row = 0;
        foreach (var (rowId, facts) in snapshot.Tracks.Rows)
        {
            ids[row] = rowId;
            facts.Vector.CopyTo(vectors.AsSpan(row * latentSize, latentSize));
            row++;
        }

        var indexFile = new SnapshotIndexFile(modelStore, options.IndexOptions, counters, logger);
        snapshot.UseIndex(indexFile.LoadOrBuild(snapshot.Version, latentSize, ids, vectors));
    }

    /// <summary>The pass over the catalogue that fills the snapshot's table and gives it its one index.</summary>
    private async Task IndexCatalogueAsync(ModelSnapshot snapshot, ModelManifest manifest, CancellationToken cancellationToken)
    {
        var latentSize = snapshot.LatentSize;
        var stored = await catalogue.LoadEmbeddingsAsync(manifest.Version, latentSize, cancellationToken).ConfigureAwait(false);
        snapshot.Tracks.Presize(stored.Count);
        var rows = new IndexRows(latentSize, stored.Count);
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
                    withVector.MoveInto(snapshot, rows);
                }

                continue;
            }

            withoutVector.Add(entry);
            if (withoutVector.Count == options.EmbeddingBatchSize)
            {
                embedded += await EmbedAndStoreAsync(snapshot, withoutVector, rows, cancellationToken).ConfigureAwait(false);
            }
        }

        withVector.MoveInto(snapshot, rows);
        embedded += await EmbedAndStoreAsync(snapshot, withoutVector, rows, cancellationToken).ConfigureAwait(false);
        var indexFile = new SnapshotIndexFile(modelStore, options.IndexOptions, counters, logger);
        snapshot.UseIndex(indexFile.LoadOrBuild(manifest.Version, latentSize, rows.Ids, rows.Vectors));
        snapshot.CalibrateScores();
        EngineLog.SnapshotBuilt(logger, manifest.Version, stored.Count, embedded);
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
                facts.Vector.CopyTo(vectors.AsSpan(i * snapshot.LatentSize));
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
            facts.Vector.CopyTo(missingVectors.AsSpan(i * snapshot.LatentSize));
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
                && previous.Features.SequenceEqual(tracks[i].Features)
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

    private async Task<int> EmbedAndStoreAsync(ModelSnapshot snapshot, List<CatalogueEntry> batch, IndexRows rows, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        var rowIds = batch.Select(e => e.Id).ToArray();
        var vectors = snapshot.Embed([.. batch.Select(e => e.Track.Features)]);
        await catalogue.SaveEmbeddingsAsync(snapshot.Version, rowIds, vectors, snapshot.LatentSize, cancellationToken).ConfigureAwait(false);
        rows.Add(rowIds, snapshot.AddFacts(rowIds, [.. batch.Select(e => e.Track)], [.. batch.Select(e => e.SongId)], vectors));
        var count = batch.Count;
        batch.Clear();
        return count;
    }

    /// <summary>Embeds rows that have no vector under a serving snapshot's model, stores the vectors, and upserts the rows
    /// (index included).</summary>
    private async Task EmbedAndUpsertAsync(ModelSnapshot snapshot, List<CatalogueEntry> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var rowIds = batch.Select(e => e.Id).ToArray();
        var vectors = snapshot.Embed([.. batch.Select(e => e.Track.Features)]);
        await catalogue.SaveEmbeddingsAsync(snapshot.Version, rowIds, vectors, snapshot.LatentSize, cancellationToken).ConfigureAwait(false);
        snapshot.Upsert(rowIds, [.. batch.Select(e => e.Track)], [.. batch.Select(e => e.SongId)], vectors);
        batch.Clear();
    }

    /// <summary>Places served rows on the snapshot's map by their neighbours (their unit vectors are in the index).</summary>
    private static void PlaceInMemory(ModelSnapshot snapshot, long[] rowIds)
    {
        if (rowIds.Length == 0)
        {
            return;
        }

        var latentSize = snapshot.LatentSize;
        var unit = new float[rowIds.Length * latentSize];
        for (var i = 0; i < rowIds.Length; i++)
        {
            snapshot.Tracks.TryGet(rowIds[i], out var facts);
            facts.Vector.CopyTo(unit.AsSpan(i * latentSize));
        }

        var placed = NeighbourPlacement.Place(snapshot, rowIds, unit);
        snapshot.Map.Set(rowIds, placed.X, placed.Y);
    }

    /// <summary>Catalogue rows with their stored vectors, gathered to enter a snapshot in batches.</summary>
    private sealed class Batch(int capacity, int latentSize)
    {
        private readonly List<long> _rowIds = new(capacity);
        private readonly List<Track> _tracks = new(capacity);
        private readonly List<string> _songIds = new(capacity);
        private readonly float[] _vectors = new float[capacity * latentSize];

        public bool IsFull => _rowIds.Count == capacity;

        public int Count => _rowIds.Count;

        public void Add(CatalogueEntry entry, ReadOnlySpan<float> vector)
        {
            vector.CopyTo(_vectors.AsSpan(_rowIds.Count * latentSize, latentSize));
            _rowIds.Add(entry.Id);
            _tracks.Add(entry.Track);
            _songIds.Add(entry.SongId);
        }

        public void MoveInto(ModelSnapshot snapshot, IndexRows rows)
        {
            rows.Add(_rowIds, snapshot.AddFacts(_rowIds, _tracks, _songIds, _vectors.AsSpan(0, _rowIds.Count * latentSize)));
            Clear();
        }

        /// <summary>Moves the rows into a snapshot that already serves (index included), returning them.</summary>
        public long[] UpsertInto(ModelSnapshot snapshot)
        {
            long[] moved = [.. _rowIds];
            if (moved.Length > 0)
            {
                snapshot.Upsert(_rowIds, _tracks, _songIds, _vectors.AsSpan(0, _rowIds.Count * latentSize));
            }

            Clear();
            return moved;
        }

        private void Clear()
        {
            _rowIds.Clear();
            _tracks.Clear();
            _songIds.Clear();
        }
    }

    /// <summary>Every row id of a snapshot being filled with its unit vector, for the one index built over them.</summary>
    private sealed class IndexRows(int latentSize, int expected)
    {
        private readonly List<long> _ids = new(expected);
        private readonly List<float> _vectors = new(expected * latentSize);

        public ReadOnlySpan<long> Ids => CollectionsMarshal.AsSpan(_ids);

        public ReadOnlySpan<float> Vectors => CollectionsMarshal.AsSpan(_vectors);

        public void Add(IEnumerable<long> ids, float[] unitVectors)
        {
            _ids.AddRange(ids);
            _vectors.AddRange(unitVectors);
        }
    }
}
