using MusicDna.Core.Errors;
using MusicDna.Core.Features;

using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Embedding;

/// <summary>Raw audio features → latent vectors under the serving model (cold start: any track, catalogued or not).</summary>
public sealed class Embedder(ModelSnapshotHolder snapshots)
{
    public const int MaxTracks = 1000;

    /// <summary>Validates every row (naming <c>features[i].name</c> on error) and embeds them in one batch.</summary>
    public EmbeddingBatch Embed(IReadOnlyList<double[]> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Count is 0 or > MaxTracks)
        {
            throw new InvalidInputException("features", $"must hold 1 to {MaxTracks} tracks, got {features.Count}");
        }

        for (var i = 0; i < features.Count; i++)
        {
            if (FeatureSchema.Validate(features[i]) is { } violation)
            {
                throw new InvalidInputException($"features[{i}].{violation.Field}", violation.Reason);
            }
        }

        using var activity = EngineTracing.Source.StartActivity("musicdna.embed");
        using var lease = snapshots.Acquire();
        activity?.SetTag("musicdna.tracks", features.Count);
        activity?.SetTag("musicdna.model_version", lease.Snapshot.Version);
        return new EmbeddingBatch(lease.Snapshot.Version, lease.Snapshot.LatentSize, lease.Snapshot.Embed(features));
    }
}
