using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MusicDna.Model;
using Npgsql;

namespace MusicDna.PostgreSql;

/// <summary>
/// Published models as rows (manifest as JSON, weights as bytes, created-at), so replicas need no shared file
/// system. A model is numbered when stored and becomes visible to readers only when activated, after its vectors are
/// stored too: a replica that loads it finds them and embeds nothing. Activation is a change in the feed, so every
/// replica hears of it. Each replica keeps the serving index it built for a version in its own folder
/// (<paramref name="indexRoot"/>), not in the database: it is checked against the catalogue whenever it is loaded.
/// </summary>
public sealed class PostgresModelStore(PostgresDatabase database, string indexRoot, TimeProvider? timeProvider = null) : IModelStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public string IndexDirectory(long version)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        return Path.Combine(indexRoot, FormattableString.Invariant($"v{version:D6}"));
    }

    public IReadOnlyList<long> RemoveIndexesOlderThan(long servedVersion)
    {
        if (!Directory.Exists(indexRoot))
        {
            return [];
        }

        var removed = new List<long>();
        foreach (var directory in Directory.EnumerateDirectories(indexRoot))
        {
            // Only folders this store names (v000001, …); anything else in the folder is not ours to delete.
            var name = Path.GetFileName(directory);
            if (name.Length > 1 && name[0] == 'v'
                && long.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                && version >= 1 && version < servedVersion
                && string.Equals(Path.GetFileName(IndexDirectory(version)), name, StringComparison.Ordinal))
            {
                Directory.Delete(directory, recursive: true);
                removed.Add(version);
            }
        }

        removed.Sort();
        return removed;
    }

    public async Task<ModelManifest> PublishAsync(ModelManifest manifest, TrainedAutoencoder model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(model);
        if (!manifest.Config.Equals(model.Config))
        {
            throw new ArgumentException("The manifest's config does not describe the model's shape.", nameof(manifest));
        }

        var weights = WeightsOf(model);
        return await database.WriteAsync(async (connection, _, token) =>
        {
            // Versions are taken under the change-writer lock: two publications never get one number.
            await PostgresDatabase.LockChangeWritersAsync(connection, token).ConfigureAwait(false);

            await using var next = new NpgsqlCommand("SELECT coalesce(max(version), 0) + 1 FROM models;", connection);
            var version = (long)(await next.ExecuteScalarAsync(token).ConfigureAwait(false))!;
            var stored = manifest with { Version = version, CreatedAt = _time.GetUtcNow() };
            await using var insert = new NpgsqlCommand(
                "INSERT INTO models (version, manifest, weights, created_at) VALUES ($1, $2::jsonb, $3, $4);", connection);
            insert.Parameters.AddWithValue(version);
            insert.Parameters.AddWithValue(JsonSerializer.Serialize(stored, Json));
            insert.Parameters.AddWithValue(weights);
            insert.Parameters.AddWithValue(stored.CreatedAt.UtcDateTime);
            await insert.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            return stored;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task ActivateAsync(long version, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(async (connection, _, token) =>
        {
            var position = await PostgresDatabase.RecordChangeAsync(connection, "model", 0, token).ConfigureAwait(false);
            await using var activate = new NpgsqlCommand(
                "UPDATE models SET activated_at = now(), change_seq = $2 WHERE version = $1;", connection);
            activate.Parameters.AddWithValue(version);
            activate.Parameters.AddWithValue(position);
            return await activate.ExecuteNonQueryAsync(token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    public Task<long> LatestVersionAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM models WHERE activated_at IS NOT NULL;", connection);
            return (long)(await command.ExecuteScalarAsync(token).ConfigureAwait(false))!;
        }, cancellationToken);

    public async Task<PublishedModel?> LoadLatestAsync(CancellationToken cancellationToken = default)
    {
        var row = await database.ReadAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT manifest::text, weights FROM models WHERE activated_at IS NOT NULL ORDER BY version DESC LIMIT 1;", connection);
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            return await reader.ReadAsync(token).ConfigureAwait(false)
                ? (Manifest: reader.GetString(0), Weights: (byte[])reader.GetValue(1))
                : ((string Manifest, byte[] Weights)?)null;
        }, cancellationToken).ConfigureAwait(false);
        if (row is not { } found)
        {
            return null;
        }

        var manifest = JsonSerializer.Deserialize<ModelManifest>(found.Manifest, Json)
            ?? throw new InvalidDataException("A stored model's manifest is empty.");
        manifest.Config.Validate();
        return new PublishedModel(manifest, LoadWeights(found.Weights, manifest.Config));
    }

    // TorchSharp reads and writes weights as files: a private temporary file carries them to and from the row.
    private static byte[] WeightsOf(TrainedAutoencoder model)
    {
        var path = Path.Combine(Path.GetTempPath(), $"musicdna-weights-{Guid.NewGuid():N}.bin");
        try
        {
            model.Save(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static TrainedAutoencoder LoadWeights(byte[] weights, AutoencoderConfig config)
    {
        var path = Path.Combine(Path.GetTempPath(), $"musicdna-weights-{Guid.NewGuid():N}.bin");
        try
        {
            File.WriteAllBytes(path, weights);
            return TrainedAutoencoder.Load(path, config);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
