using Google.Protobuf.WellKnownTypes;
using MusicDna.Contracts.V1;
using MusicDna.Core.Errors;
using MusicDna.Core.Features;
using MusicDna.Engine.Training;
using MusicDna.Model;

namespace MusicDna.Server.Grpc.Mapping;

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
            Device = ToDomain(request.Device),
            GenreWeight = request.HasGenreWeight ? request.GenreWeight : defaults.GenreWeight,
        };
        return (config, options);
    }

    /// <summary>An enum value the contract does not define is refused, not read as the default.</summary>
    private static ComputeDevice ToDomain(Device device) => device switch
    {
        Device.Unspecified or Device.Cpu => ComputeDevice.Cpu,
        Device.Cuda => ComputeDevice.Cuda,
        _ => throw new InvalidInputException("device", $"unknown value {(int)device}; use DEVICE_CPU or DEVICE_CUDA"),
    };

    public static TrainResponse ToContract(TrainingEvent item) => item switch
    {
        EpochCompleted epoch => new TrainResponse { Progress = ToContract(epoch.Progress) },
        ModelPublished published => new TrainResponse { Model = ToContract(published.Outcome) },
        _ => throw new ArgumentOutOfRangeException(nameof(item), item.GetType().Name, "unknown training event"),
    };

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
