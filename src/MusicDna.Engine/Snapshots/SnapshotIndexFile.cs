using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MusicDna.Index;
using MusicDna.Model;

namespace MusicDna.Engine.Snapshots;

/// <summary>
/// The serving index of one model version, saved beside its model (<c>v000001/index.faiss</c>, with
/// <c>index.json</c> naming the version, the dimension and the file's SHA-256), so a restart loads it instead of
/// rebuilding. A saved index serves only when its checksum, version, dimension and kind are right; its contents are
/// then compared with the catalogue's vectors and the difference (tracks ingested or changed since it was saved)
/// applied, so it holds exactly what a rebuild would. Otherwise (missing, stale, corrupt) the index is rebuilt, the
/// reason logged, and saved again.
/// </summary>
internal sealed class SnapshotIndexFile(IModelStore store, VectorIndexOptions options, EngineCounters counters, ILogger logger)
{
    public const string IndexFileName = "index.faiss";
    public const string ManifestFileName = "index.json";

    // A loaded index is saved again once the changes replayed into it reach this share of its count, so the next
    // start replays few.
    private const double ResaveShare = 0.01;

    // Components of one unit vector that differ by less than this are the same vector (the index normalises again).
    private const float SameVectorTolerance = 1e-5f;

    /// <summary>An index holding exactly <paramref name="ids"/> with their unit vectors (row-major), loaded from the
    /// version's file where it can be trusted, built (and saved) where not.</summary>
    public ScalingVectorIndex LoadOrBuild(long version, int dimension, ReadOnlySpan<long> ids, ReadOnlySpan<float> unitVectors)
    {
        var directory = store.IndexDirectory(version);
        var indexPath = Path.Combine(directory, IndexFileName);
        var loaded = TryLoad(version, dimension, indexPath, ids.Length, out var reason);
        if (loaded is not null)
        {
            try
            {
                var replayed = Reconcile(loaded, ids, unitVectors);
                counters.IndexLoaded();
                EngineLog.IndexLoaded(logger, version, loaded.Count, replayed);
                if (replayed > 0 && replayed >= ResaveShare * ids.Length)
                {
                    TrySave(version, loaded, indexPath);
                }

                return new ScalingVectorIndex(loaded, options);
            }
            catch
            {
                loaded.Dispose();
                throw;
            }
        }

        EngineLog.IndexRebuilding(logger, version, ids.Length, reason);
        var built = VectorIndexFactory.Create(dimension, ids, unitVectors, options);
        try
        {
            counters.IndexBuilt();
            TrySave(version, built, indexPath);
            return new ScalingVectorIndex(built, options);
        }
        catch
        {
            built.Dispose();
            throw;
        }
    }

    private VectorIndex? TryLoad(long version, int dimension, string indexPath, int count, out string reason)
    {
        var manifestPath = Path.Combine(Path.GetDirectoryName(indexPath)!, ManifestFileName);
        if (!File.Exists(indexPath) || !File.Exists(manifestPath))
        {
            reason = "no saved index";
            return null;
        }

        VectorIndex? index = null;
        try
        {
            var manifest = JsonSerializer.Deserialize<IndexFileManifest>(File.ReadAllBytes(manifestPath));
            if (manifest is null || manifest.ModelVersion != version || manifest.Dimension != dimension)
            {
                reason = "the saved index belongs to another model or dimension";
                return null;
            }

            if (!string.Equals(manifest.Sha256, Checksum(indexPath), StringComparison.Ordinal))
            {
                reason = "the saved index does not match its checksum";
                return null;
            }

            index = VectorIndex.Load(indexPath);
            if (index.Dimension != dimension || index.Kind != options.KindFor(count))
            {
                reason = $"the saved index is {index.Kind} of dimension {index.Dimension}, the catalogue calls for {options.KindFor(count)}";
                index.Dispose();
                return null;
            }

            index.FilterPolicy = options.FilterPolicy;
            if (index.Kind == VectorIndexKind.InvertedFile)
            {
                index.Probe = options.ProbeFor(index.Lists);
            }

            reason = "";
            return index;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or FaissException)
        {
            index?.Dispose();
            reason = $"the saved index could not be read ({e.GetType().Name})";
            return null;
        }
    }

    /// <summary>Makes <paramref name="index"/> hold exactly the catalogue's rows; returns how many changes that took.</summary>
    private static int Reconcile(VectorIndex index, ReadOnlySpan<long> ids, ReadOnlySpan<float> unitVectors)
    {
        var dimension = index.Dimension;
        var stored = index.Export();
        var storedOrder = SortedOrder(stored.Ids);
        var catalogueIds = ids.ToArray();
        var catalogueOrder = SortedOrder(catalogueIds);
        var upsertIds = new List<long>();
        var upsertVectors = new List<float>();
        var removeIds = new List<long>();
        int c = 0, s = 0;
        while (c < catalogueOrder.Length || s < storedOrder.Length)
        {
            var catalogueId = c < catalogueOrder.Length ? catalogueIds[catalogueOrder[c]] : long.MaxValue;
            var storedId = s < storedOrder.Length ? stored.Ids[storedOrder[s]] : long.MaxValue;
            if (storedId < catalogueId)
            {
                removeIds.Add(storedId);
                s++;
                continue;
            }

            var vector = unitVectors.Slice(catalogueOrder[c] * dimension, dimension);
            if (storedId != catalogueId || !Same(vector, stored.Vectors.AsSpan(storedOrder[s] * dimension, dimension)))
            {
                upsertIds.Add(catalogueId);
                foreach (var value in vector)
                {
                    upsertVectors.Add(value);
                }
            }

            if (storedId == catalogueId)
            {
                s++;
            }

            c++;
        }

        if (removeIds.Count > 0)
        {
            index.Remove([.. removeIds]);
        }

        if (upsertIds.Count > 0)
        {
            index.Upsert([.. upsertIds], [.. upsertVectors]);
        }

        return removeIds.Count + upsertIds.Count;
    }

    /// <summary>Positions of <paramref name="ids"/> in ascending id order (no sort when they already are).</summary>
    private static int[] SortedOrder(long[] ids)
    {
        var order = new int[ids.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        for (var i = 1; i < ids.Length; i++)
        {
            if (ids[i] < ids[i - 1])
            {
                Array.Sort(ids.ToArray(), order);
                break;
            }
        }

        return order;
    }

    private static bool Same(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if (Math.Abs(a[i] - b[i]) > SameVectorTolerance)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Saves the index, then its manifest (each written whole and renamed into place): a crash between the
    /// two leaves an old manifest whose checksum refuses the new file. A failure is logged, not thrown: the index in
    /// memory serves either way, and the next start rebuilds.</summary>
    private void TrySave(long version, VectorIndex index, string indexPath)
    {
        var manifestPath = Path.Combine(Path.GetDirectoryName(indexPath)!, ManifestFileName);
        var temporary = manifestPath + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(indexPath)!);
            index.Save(indexPath);
            var manifest = new IndexFileManifest(version, index.Dimension, index.Count, index.Kind.ToString(), Checksum(indexPath));
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(manifest));
            File.Move(temporary, manifestPath, overwrite: true);
            EngineLog.IndexSaved(logger, version, index.Count);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FaissException)
        {
            EngineLog.IndexNotSaved(logger, version, e);
        }
    }

    private static string Checksum(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    /// <summary>What <c>index.json</c> says about the index file beside it.</summary>
    private sealed record IndexFileManifest(long ModelVersion, int Dimension, long Count, string Kind, string Sha256);
}
