using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Map;
using MusicDna.Index;
using MusicDna.Model;

namespace MusicDna.Engine.Snapshots;

/// <summary>
/// One published model as served: its feature pipeline, its encoder, and the catalogue's tracks under it (their
/// facts in <see cref="Tracks"/>, their vectors in the index). Pipeline and encoder never change; tracks are added,
/// replaced and removed only through this class, which keeps its invariants: vectors are normalised once, here, and
/// a track's facts are written before its vector reaches the index, so every id a search finds has its facts.
/// Readers hold a <see cref="SnapshotLease"/>, so a snapshot is disposed only after the last reader is done.
/// The index is exact below <see cref="VectorIndexOptions.ApproximateFrom"/> tracks and approximate above it, and
/// keeps the kind its count calls for under live changes (<see cref="ScalingVectorIndex"/>).
/// </summary>
public sealed class ModelSnapshot : IDisposable
{
    private ScalingVectorIndex _index;
    private long _revision;

    /// <param name="manifest">The model's manifest.</param>
    /// <param name="encoder">The model, owned by the snapshot from now on.</param>
    /// <param name="indexOptions">How the index is chosen and sized; null for the measured defaults.</param>
    public ModelSnapshot(ModelManifest manifest, TrainedAutoencoder encoder, VectorIndexOptions? indexOptions = null)
        : this(manifest, encoder, indexOptions, null, SimilarityScale.Uncalibrated)
    {
    }

    /// <summary>A snapshot over a track table read back whole (<see cref="SnapshotTableFile"/>), with the scale it was
    /// measured at; its index is still to be installed (<see cref="UseIndex"/>).</summary>
    internal ModelSnapshot(ModelManifest manifest, TrainedAutoencoder encoder, VectorIndexOptions? indexOptions, TrackTable? tracks, SimilarityScale scale)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(scale);
        if (tracks is not null && tracks.LatentSize != encoder.Config.LatentSize)
        {
            throw new ArgumentException($"A table of latent size {tracks.LatentSize} cannot serve a model of latent size {encoder.Config.LatentSize}.", nameof(tracks));
        }

        Manifest = manifest;
        Encoder = encoder;
        Pipeline = FeaturePipeline.FromParameters(manifest.Pipeline);
        _index = new ScalingVectorIndex(new VectorIndex(encoder.Config.LatentSize), indexOptions);
        Tracks = tracks ?? new TrackTable(encoder.Config.LatentSize);
        Scale = scale;
    }

    public ModelManifest Manifest { get; }

    public long Version => Manifest.Version;

    public int LatentSize => Encoder.Config.LatentSize;

    public FeaturePipeline Pipeline { get; }

    public TrainedAutoencoder Encoder { get; }

    /// <summary>Filterable facts and normalised vectors of the indexed tracks.</summary>
    public TrackTable Tracks { get; }

    /// <summary>How cosines read as scores under this model: measured over the catalogue once the snapshot is built
    /// (<see cref="CalibrateScores"/>), kept while it serves.</summary>
    public SimilarityScale Scale { get; private set; } = SimilarityScale.Uncalibrated;

    /// <summary>The tracks' 2-d positions on the sonic map (written by the serving publisher after their facts).</summary>
    public SonicMap Map { get; } = new();

    /// <summary>The rows recent filters allow, as index filters (built by the engine, valid at one <see cref="Revision"/>).</summary>
    internal Recommend.AllowedRowsCache AllowedRows { get; } = new();

    /// <summary>Tracks in the index.</summary>
    public long TrackCount => _index.Count;

    /// <summary>Increases with every change to the snapshot's tracks: what was computed over them at one revision
    /// holds until the next.</summary>
    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>The cosine index over <see cref="Tracks"/>' vectors; searched by the engine, written only here.</summary>
    internal IVectorIndex Index => _index;

    /// <summary>The index's background rebuild in flight, or its last one (tests wait for a change of kind).</summary>
    internal Task IndexRebuilding => _index.Rebuilding;

    /// <summary>Raw features (rows of 12) → latent vectors as the encoder produces them, row-major rows × <see cref="LatentSize"/>.</summary>
    public float[] Embed(IReadOnlyList<double[]> rawFeatures)
    {
        ArgumentNullException.ThrowIfNull(rawFeatures);
        if (rawFeatures.Count == 0)
        {
            return [];
        }

        var scaled = Pipeline.TransformMany(rawFeatures);
        return Encoder.Encode(scaled, rawFeatures.Count);
    }

    /// <summary>One track's features → its unit latent vector, the form every similarity is computed in.</summary>
    public float[] EmbedUnit(double[] rawFeatures)
    {
        var vector = Embed([rawFeatures]);
        VectorMath.Normalize(vector);
        return vector;
    }

    /// <summary>
    /// Measures the score scale over the tracks now in the snapshot. Called once by the writer when the snapshot is
    /// built, before it is published, so every reader sees one scale.
    /// </summary>
    public void CalibrateScores() => Scale = SimilarityScale.Measure(Tracks);

    /// <summary>
    /// Adds or replaces tracks with their songs (as the catalogue stored them) and latent vectors (row-major, as
    /// <see cref="Embed"/> returns them): facts first, then the index, so a concurrent search never finds an id
    /// without its facts.
    /// </summary>
    public void Upsert(IReadOnlyList<long> rowIds, IReadOnlyList<Track> tracks, IReadOnlyList<string> songIds, ReadOnlySpan<float> vectors)
    {
        var normalised = AddFacts(rowIds, tracks, songIds, vectors);
        _index.Upsert([.. rowIds], normalised);
        Interlocked.Increment(ref _revision);
    }

    /// <summary>
    /// Writes tracks' facts without touching the index and returns their unit vectors (row-major), for a snapshot
    /// being filled whole before it is published: its index is then built, or loaded, once over all of them and
    /// installed by <see cref="UseIndex"/>.
    /// </summary>
    internal float[] AddFacts(IReadOnlyList<long> rowIds, IReadOnlyList<Track> tracks, IReadOnlyList<string> songIds, ReadOnlySpan<float> vectors)
    {
        ArgumentNullException.ThrowIfNull(rowIds);
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(songIds);
        if (tracks.Count != rowIds.Count || songIds.Count != rowIds.Count || vectors.Length != rowIds.Count * LatentSize)
        {
            throw new ArgumentException(
                $"{rowIds.Count} row ids, {tracks.Count} tracks, {songIds.Count} song ids and {vectors.Length} vector values do not line up (latent size {LatentSize}).");
        }

        var normalised = vectors.ToArray();
        VectorMath.NormalizeRows(normalised, LatentSize);
        for (var i = 0; i < rowIds.Count; i++)
        {
            Tracks.Upsert(rowIds[i], tracks[i], songIds[i], normalised.AsSpan(i * LatentSize, LatentSize));
        }

        return normalised;
    }

    /// <summary>
    /// Replaces the still empty index of an unpublished snapshot with one holding exactly the ids of
    /// <see cref="Tracks"/> (built or loaded by <see cref="SnapshotIndexFile"/>), taking ownership of it (an index it
    /// refuses is disposed too).
    /// </summary>
    internal void UseIndex(ScalingVectorIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.Dimension != LatentSize || index.Count != Tracks.Count || _index.Count != 0)
        {
            index.Dispose();
            throw new InvalidOperationException(
                $"An index of {index.Count} vectors of dimension {index.Dimension} cannot serve {Tracks.Count} tracks of latent size {LatentSize} (or the snapshot already has one).");
        }

        var empty = _index;
        _index = index;
        empty.Dispose();
        Interlocked.Increment(ref _revision);
    }

    /// <summary>Removes tracks: from the index first, so a search never finds an id whose facts are gone.</summary>
    public void Remove(IReadOnlyList<long> rowIds)
    {
        ArgumentNullException.ThrowIfNull(rowIds);
        _index.Remove([.. rowIds]);
        foreach (var rowId in rowIds)
        {
            Tracks.Remove(rowId);
            Map.Remove(rowId);
        }

        Interlocked.Increment(ref _revision);
    }

    /// <summary>Frees a snapshot that was never published, leaving its encoder to the caller that owns it.</summary>
    internal void DisposeIndexOnly() => _index.Dispose();

    public void Dispose()
    {
        _index.Dispose();
        Encoder.Dispose();
    }
}
