using Google.Protobuf.WellKnownTypes;
using MusicDna.Contracts.Mapping;
using MusicDna.Contracts.V1;
using MusicDna.Core.Features;
using MusicDna.Engine;
using MusicDna.Model;

namespace MusicDna.Server.Grpc;

/// <summary>TrainRequest → the domain's model shape and training options (unset = default); progress and result → contract.</summary>
internal static class TrainRequestMapper
{
    public static (AutoencoderConfig Config, TrainingOptions Options) ToDomain(TrainRequest request)
    {
        var defaults = new TrainingOptions();
        var shape = new AutoencoderConfig();
        var config = new AutoencoderConfig(
            FeatureSchema.Count,
            request.HiddenLayerSizes.Count > 0 ? [.. request.HiddenLayerSizes] : shape.HiddenSizes,
            request.LatentSize != 0 ? request.LatentSize : shape.LatentSize);

        var options = defaults with
        {
            Epochs = request.Epochs != 0 ? request.Epochs : defaults.Epochs,
            BatchSize = request.BatchSize != 0 ? request.BatchSize : defaults.BatchSize,
            LearningRate = request.LearningRate != 0 ? request.LearningRate : defaults.LearningRate,
            ValidationFraction = request.HasValidationFraction ? request.ValidationFraction : defaults.ValidationFraction,
            TestFraction = request.HasTestFraction ? request.TestFraction : defaults.TestFraction,
            Seed = request.HasSeed ? request.Seed : defaults.Seed,
            Device = request.Device == Device.Cuda ? ComputeDevice.Cuda : ComputeDevice.Cpu,
            GenreWeight = request.HasGenreWeight ? request.GenreWeight : defaults.GenreWeight,
        };
        return (config, options);
    }

    public static TrainProgress ToContract(EpochProgress progress) => new()
    {
        Epoch = progress.Epoch,
        Epochs = progress.Epochs,
        TrainLoss = progress.TrainLoss,
        ValidationLoss = progress.ValidationLoss,
        Elapsed = Duration.FromTimeSpan(progress.Elapsed),
    };

    public static ModelSummary ToContract(TrainingOutcome published)
    {
        var manifest = published.Manifest;
        return new ModelSummary
        {
            ModelVersion = manifest.Version,
            TestMse = manifest.Metrics.TestMse,
            RowsUsed = manifest.Metrics.TrainRows,
            TracksIndexed = published.TracksIndexed,
            EpochsRun = manifest.Metrics.EpochsRun,
            FeatureNames = { manifest.Pipeline.FeatureNames },
            LatentSize = manifest.Config.LatentSize,
            Duration = Duration.FromTimeSpan(manifest.Metrics.Duration),
            CreatedAt = Timestamp.FromDateTimeOffset(manifest.CreatedAt),
        };
    }
}
