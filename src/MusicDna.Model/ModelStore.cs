using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MusicDna.Model;

/// <summary>
/// Versioned model artefacts under one root: <c>v000001/model.json</c> + <c>v000001/weights.bin</c>, and so on.
/// A version is written whole into <c>.tmp-&lt;guid&gt;</c> and then renamed into place, so a reader never sees a
/// half-written model; directories that are temporary or lack a file are ignored.
/// </summary>
public sealed class ModelStore : IModelStore
{
    public const string ManifestFileName = "model.json";
    public const string WeightsFileName = "weights.bin";
    private const string TemporaryPrefix = ".tmp-";
    private const int PublishAttempts = 16;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly Lock publishGate = new();
    private readonly TimeProvider timeProvider;

    public ModelStore(string root, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        this.timeProvider = timeProvider ?? TimeProvider.System;
    }

    public string Root { get; }

    /// <summary>
    /// Writes <paramref name="model"/> as the next version (1, 2, …) and returns the manifest as stored, with its
    /// version and creation time filled in.
    /// </summary>
    public ModelManifest Publish(ModelManifest manifest, TrainedAutoencoder model)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(model);
        if (!manifest.Config.Equals(model.Config))
        {
            throw new ArgumentException("The manifest's config does not describe the model's shape.", nameof(manifest));
        }

        lock (publishGate)
        {
            Directory.CreateDirectory(Root);
            var temporary = Path.Combine(Root, TemporaryPrefix + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(temporary);
            try
            {
                var weights = Path.Combine(temporary, WeightsFileName);
                model.Save(weights);
                FlushToDisk(weights);

                // Another process may publish into the same root; the rename fails when it took the number first.
                for (var attempt = 0; attempt < PublishAttempts; attempt++)
                {
                    var version = AllVersionDirectories().Select(v => v.Version).DefaultIfEmpty(0).Max() + 1;
                    var stored = manifest with { Version = version, CreatedAt = timeProvider.GetUtcNow() };
                    WriteManifest(Path.Combine(temporary, ManifestFileName), stored);
                    var target = Path.Combine(Root, DirectoryName(version));
                    if (Directory.Exists(target))
                    {
                        continue;
                    }

                    try
                    {
                        Directory.Move(temporary, target);
                        return stored;
                    }
                    catch (IOException) when (Directory.Exists(target))
                    {
                        // Lost the race for this number: count again.
                    }
                }

                throw new IOException($"Could not claim a version number under {Root} after {PublishAttempts} attempts.");
            }
            catch
            {
                TryDelete(temporary);
                throw;
            }
        }
    }

    /// <summary>The directory of one version, where files derived from its model may be kept beside it; readers of
    /// the model look only at its own two files.</summary>
    public string VersionDirectory(long version)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        return Path.Combine(Root, DirectoryName(version));
    }

    /// <inheritdoc />
    public string IndexDirectory(long version) => VersionDirectory(version);

    /// <inheritdoc />
    public IReadOnlyList<long> RemoveIndexesOlderThan(long servedVersion) => [];

    /// <summary>The complete versions in the store, oldest first.</summary>
    public IReadOnlyList<long> Versions() =>
        [.. AllVersionDirectories().Where(v => IsComplete(v.Path)).Select(v => v.Version).Order()];

    /// <summary>The newest complete version, or null when the store holds none.</summary>
    public PublishedModel? LoadLatest()
    {
        var versions = Versions();
        return versions.Count == 0 ? null : Load(versions[^1]);
    }

    /// <summary>Reads one complete version; throws when it is missing or its files do not agree.</summary>
    public PublishedModel Load(long version)
    {
        var directory = Path.Combine(Root, DirectoryName(version));
        if (!IsComplete(directory))
        {
            throw new DirectoryNotFoundException($"Model version {version} is not in {Root}.");
        }

        var manifestPath = Path.Combine(directory, ManifestFileName);
        ModelManifest manifest;
        using (var stream = File.OpenRead(manifestPath))
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(stream, Json)
                ?? throw new InvalidDataException($"{manifestPath} is empty.");
        }

        if (manifest.Version != version)
        {
            throw new InvalidDataException($"{manifestPath} says version {manifest.Version}, its directory {version}.");
        }

        manifest.Config.Validate();
        var model = TrainedAutoencoder.Load(Path.Combine(directory, WeightsFileName), manifest.Config);
        return new PublishedModel(manifest, model);
    }

    Task<ModelManifest> IModelStore.PublishAsync(ModelManifest manifest, TrainedAutoencoder model, CancellationToken cancellationToken) =>
        Task.FromResult(Publish(manifest, model));

    // A version directory appears whole (renamed into place): stored is activated.
    Task IModelStore.ActivateAsync(long version, CancellationToken cancellationToken) => Task.CompletedTask;

    Task<long> IModelStore.LatestVersionAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Versions() is [.., var latest] ? latest : 0);

    Task<PublishedModel?> IModelStore.LoadLatestAsync(CancellationToken cancellationToken) => Task.FromResult(LoadLatest());

    private static string DirectoryName(long version) => "v" + version.ToString("D6", CultureInfo.InvariantCulture);

    private static bool IsComplete(string directory) =>
        File.Exists(Path.Combine(directory, ManifestFileName)) && File.Exists(Path.Combine(directory, WeightsFileName));

    /// <summary>Every canonical v&lt;digits&gt; directory, complete or not (an incomplete one still holds its number).</summary>
    private IEnumerable<(long Version, string Path)> AllVersionDirectories()
    {
        if (!Directory.Exists(Root))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateDirectories(Root, "v*"))
        {
            var name = Path.GetFileName(path);
            if (name.Length > 1
                && name.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0
                && long.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                && version > 0
                && name == DirectoryName(version))
            {
                yield return (version, path);
            }
        }
    }

    private static void WriteManifest(string path, ModelManifest manifest)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        JsonSerializer.Serialize(stream, manifest, Json);
        stream.Flush(flushToDisk: true);
    }

    // The rename must not reach the disk before the data does, or a crash could leave a complete-looking, empty model.
    private static void FlushToDisk(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover .tmp- directory is ignored by readers.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
