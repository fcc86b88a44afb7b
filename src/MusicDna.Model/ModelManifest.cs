using MusicDna.Core.Features;

namespace MusicDna.Model;

/// <summary>
/// Everything needed to use a published model again besides its weights: written as model.json beside them.
/// <see cref="Version"/> and <see cref="CreatedAt"/> are assigned by <see cref="ModelStore.Publish"/>.
/// </summary>
public sealed record ModelManifest(
    long Version,
    DateTimeOffset CreatedAt,
    AutoencoderConfig Config,
    TrainingOptions Training,
    FeaturePipelineParameters Pipeline,
    ModelMetrics Metrics);
