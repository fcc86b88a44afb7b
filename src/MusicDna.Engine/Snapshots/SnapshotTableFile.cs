using System.Diagnostics;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MusicDna.Catalogue;
using MusicDna.Engine.Map;
using MusicDna.Model;

namespace MusicDna.Engine.Snapshots;

/// <summary>
/// The served tracks of one model version, saved beside its index (<c>v000001/tracks.table</c>, with
/// <c>tracks.json</c> naming the version, the latent size, the catalogue's <see cref="CatalogueStamp"/> at the save
/// and the file's XxHash3), so a restart reads the track table, its sonic-map positions and its score scale whole
/// instead of reading every row of the catalogue and building the table again. A saved table serves only when its
/// hash, version, latent size and catalogue instance are right and the catalogue has not changed since: at the same
/// revision, or, for a shared catalogue whose changes can be read again, at an older revision that the caller then
/// brings up to date from the change feed. Otherwise (missing, stale, corrupt) the caller reads the catalogue whole,
/// and the reason is logged. A cache, never the record: deleting it only makes the next start slower.
/// </summary>
internal sealed class SnapshotTableFile(IModelStore store, ILogger logger)
{
    public const string TableFileName = "tracks.table";
    public const string ManifestFileName = "tracks.json";

    // Raised whenever the bytes of TrackTable.WriteTo or of this file's own part change meaning.
    private const int Format = 1;

    private const int BufferBytes = 1 << 20;

    /// <summary>
    /// The saved table of <paramref name="version"/> when it may serve against a catalogue at <paramref name="now"/>;
    /// with <paramref name="canReplay"/>, also when it was saved at an older revision of the same catalogue (its
    /// <see cref="SavedTable.Revision"/> says from where to replay).
    /// </summary>
    public SavedTable? TryLoad(long version, int latentSize, CatalogueStamp now, bool canReplay)
    {
        ArgumentNullException.ThrowIfNull(now);
        var directory = store.IndexDirectory(version);
        var tablePath = Path.Combine(directory, TableFileName);
        var manifestPath = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(tablePath) || !File.Exists(manifestPath))
        {
            EngineLog.TableNotLoaded(logger, version, "no saved table");
            return null;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            var manifest = JsonSerializer.Deserialize<TableFileManifest>(File.ReadAllBytes(manifestPath));
            var reason = manifest is null ? "its manifest is empty" : Refusal(manifest, version, latentSize, now, canReplay);
            if (reason is not null)
            {
                EngineLog.TableNotLoaded(logger, version, reason);
                return null;
            }

            if (!string.Equals(manifest!.XxHash3, Hash(tablePath), StringComparison.Ordinal))
            {
                EngineLog.TableNotLoaded(logger, version, "the saved table does not match its hash");
                return null;
            }

            using var stream = new FileStream(tablePath, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, FileOptions.SequentialScan);
            var tracks = TrackTable.ReadFrom(stream);
            using var reader = new BinaryReader(stream);
            var mapCount = reader.ReadInt32();
            if (tracks.LatentSize != latentSize || tracks.Count != manifest.Tracks || mapCount < 0 || mapCount > tracks.Count)
            {
                EngineLog.TableNotLoaded(logger, version, "the saved table does not hold what its manifest says");
                return null;
            }

            var rows = new long[mapCount];
            var x = new float[mapCount];
            var y = new float[mapCount];
            stream.ReadExactly(MemoryMarshal.AsBytes(rows.AsSpan()));
            stream.ReadExactly(MemoryMarshal.AsBytes(x.AsSpan()));
            stream.ReadExactly(MemoryMarshal.AsBytes(y.AsSpan()));
            if (stream.Position != stream.Length)
            {
                EngineLog.TableNotLoaded(logger, version, "the saved table has bytes after its end");
                return null;
            }

            EngineLog.TableLoaded(logger, version, tracks.Count, manifest.CatalogueRevision, clock.ElapsedMilliseconds);
            return new SavedTable(tracks, rows, x, y, new SimilarityScale(manifest.MedianAngle), manifest.CatalogueRevision);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException
                                       or ArgumentException or InvalidOperationException)
        {
            EngineLog.TableNotLoaded(logger, version, $"the saved table could not be read ({e.GetType().Name})");
            return null;
        }
    }

    /// <summary>
    /// Saves the snapshot's tracks, map and scale as of catalogue <paramref name="stamp"/>: the caller guarantees the
    /// snapshot holds every change up to that revision (and no change after it that is not also in the catalogue).
    /// The table, then its manifest, are each written whole and renamed into place, the old manifest removed first,
    /// so a crash at any point leaves no manifest that vouches for other bytes. A failure is logged, not thrown.
    /// </summary>
    public bool TrySave(ModelSnapshot snapshot, CatalogueStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(stamp);
        var directory = store.IndexDirectory(snapshot.Version);
        var tablePath = Path.Combine(directory, TableFileName);
        var manifestPath = Path.Combine(directory, ManifestFileName);
        var clock = Stopwatch.StartNew();
        try
        {
            Directory.CreateDirectory(directory);
            File.Delete(manifestPath);
            var temporary = tablePath + ".tmp";
            var hash = new XxHash3();
            int tracks;
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, BufferBytes))
            using (var hashing = new HashingWriteStream(file, hash))
            {
                snapshot.Tracks.WriteTo(hashing);
                tracks = snapshot.Tracks.Count;
                WriteMap(hashing, snapshot);
                hashing.Flush();
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, tablePath, overwrite: true);
            var manifest = new TableFileManifest(
                Format, snapshot.Version, snapshot.LatentSize, stamp.Instance, stamp.Revision, tracks, snapshot.Scale.MedianAngle,
                Convert.ToHexString(hash.GetCurrentHash()));
            File.WriteAllBytes(manifestPath + ".tmp", JsonSerializer.SerializeToUtf8Bytes(manifest));
            File.Move(manifestPath + ".tmp", manifestPath, overwrite: true);
            EngineLog.TableSaved(logger, snapshot.Version, tracks, stamp.Revision, clock.ElapsedMilliseconds);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // A table that cannot be saved (a full disk, a table found inconsistent) still serves from memory.
            EngineLog.TableNotSaved(logger, snapshot.Version, e);
            return false;
        }
    }

    /// <summary>Deletes the saved table of a version that no longer serves (it would never be read again); a failure
    /// is logged, not thrown.</summary>
    public void Remove(long version)
    {
        var directory = store.IndexDirectory(version);
        try
        {
            File.Delete(Path.Combine(directory, ManifestFileName));
            File.Delete(Path.Combine(directory, TableFileName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            EngineLog.TableNotRemoved(logger, version, e);
        }
    }

    private static string? Refusal(TableFileManifest manifest, long version, int latentSize, CatalogueStamp now, bool canReplay)
    {
        if (manifest.Format != Format)
        {
            return $"the saved table is of format {manifest.Format}, this MusicDna writes {Format}";
        }

        if (manifest.ModelVersion != version || manifest.LatentSize != latentSize)
        {
            return "the saved table belongs to another model or latent size";
        }

        if (!string.Equals(manifest.CatalogueInstance, now.Instance, StringComparison.Ordinal))
        {
            return "the saved table was saved from another catalogue";
        }

        if (manifest.CatalogueRevision > now.Revision)
        {
            return $"the saved table is of catalogue revision {manifest.CatalogueRevision}, ahead of the catalogue's {now.Revision}";
        }

        if (manifest.CatalogueRevision < now.Revision && !canReplay)
        {
            return $"the catalogue changed since the table was saved (revision {manifest.CatalogueRevision}, now {now.Revision})";
        }

        return null;
    }

    // The positions of the table's rows that have one, as row ids, then x, then y.
    private static void WriteMap(Stream stream, ModelSnapshot snapshot)
    {
        var rows = new List<long>(snapshot.Tracks.Count);
        var x = new List<float>(snapshot.Tracks.Count);
        var y = new List<float>(snapshot.Tracks.Count);
        foreach (var (rowId, _) in snapshot.Tracks.Rows)
        {
            if (snapshot.Map.TryGet(rowId, out var position))
            {
                rows.Add(rowId);
                x.Add(position.X);
                y.Add(position.Y);
            }
        }

        stream.Write(BitConverter.GetBytes(rows.Count));
        stream.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(rows)));
        stream.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(x)));
        stream.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(y)));
    }

    private static string Hash(string path)
    {
        var hash = new XxHash3();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, FileOptions.SequentialScan);
        hash.Append(stream);
        return Convert.ToHexString(hash.GetCurrentHash());
    }

    /// <summary>What <c>tracks.json</c> says about the table file beside it.</summary>
    private sealed record TableFileManifest(
        int Format, long ModelVersion, int LatentSize, string CatalogueInstance, long CatalogueRevision, int Tracks,
        double MedianAngle, string XxHash3);

    /// <summary>Buffers writes and hashes every byte on its way to the file.</summary>
    private sealed class HashingWriteStream(Stream inner, NonCryptographicHashAlgorithm hash) : Stream
    {
        private readonly BufferedStream _buffered = new(inner, BufferBytes);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.Append(buffer);
            _buffered.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void WriteByte(byte value) => Write([value]);

        public override void Flush() => _buffered.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _buffered.Flush();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>A saved snapshot table read back: the tracks, their map positions, the score scale, and the catalogue
/// revision they hold every change up to.</summary>
internal sealed record SavedTable(TrackTable Tracks, long[] MapRows, float[] MapX, float[] MapY, SimilarityScale Scale, long Revision);
