using MusicDna.Core.Errors;
using MusicDna.Core.Tracks;

namespace MusicDna.Model;

/// <summary>
/// How to train. The fractions are the caller's split of the rows; the trainer only reports them on.
/// <see cref="GenreWeight"/> adds a supervised-contrastive genre term on the latent code beside reconstruction when
/// the data carries genre labels (0 = the pure autoencoder); <see cref="GenreTemperature"/> is its softmax
/// temperature (lower draws genres tighter). Only training sees genres, so encoding stays audio-only. <see cref="Schedule"/> shapes the learning rate over the planned epochs.
/// </summary>
public sealed record TrainingOptions(
    int Epochs = 60,
    int BatchSize = 256,
    double LearningRate = 1e-3,
    double ValidationFraction = 0.1,
    double TestFraction = 0.1,
    int Seed = 42,
    ComputeDevice Device = ComputeDevice.Cpu,
    int EarlyStoppingPatience = 5,
    double GenreWeight = 0,
    LearningRateSchedule Schedule = LearningRateSchedule.Constant,
    double GenreTemperature = 0.1)
{
    public const int MaxEpochs = 1000;
    public const int MaxBatchSize = 65536;
    public const double MaxGenreWeight = 100;
    public const double MaxGenreTemperature = 10;

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first offending field (snake_case).</summary>
    public void Validate()
    {
        if (Epochs is < 1 or > MaxEpochs)
        {
            throw new InvalidInputException("epochs", $"must be in 1..{MaxEpochs}, got {Epochs}");
        }

        if (BatchSize is < 1 or > MaxBatchSize)
        {
            throw new InvalidInputException("batch_size", $"must be in 1..{MaxBatchSize}, got {BatchSize}");
        }

        if (!(LearningRate > 0 && LearningRate <= 1))
        {
            throw new InvalidInputException("learning_rate", $"must be in (0, 1], got {LearningRate}");
        }

        // Validation rows drive early stopping and the best-weights choice, so there must be some.
        // The same bounds as DataSplit (each at most half the rows), so both always agree.
        if (!(ValidationFraction > 0 && ValidationFraction <= DataSplit.MaxFraction))
        {
            throw new InvalidInputException(
                "validation_fraction", $"must be in (0, {DataSplit.MaxFraction}], got {ValidationFraction}");
        }

        if (!(TestFraction >= 0 && TestFraction <= DataSplit.MaxFraction))
        {
            throw new InvalidInputException("test_fraction", $"must be in [0, {DataSplit.MaxFraction}], got {TestFraction}");
        }

        if (ValidationFraction + TestFraction >= 1)
        {
            throw new InvalidInputException(
                "test_fraction",
                $"validation_fraction + test_fraction must leave rows to train on, got {ValidationFraction + TestFraction}");
        }

        if (!Enum.IsDefined(Device))
        {
            throw new InvalidInputException("device", $"unknown device {Device}");
        }

        if (EarlyStoppingPatience is < 0 or > MaxEpochs)
        {
            throw new InvalidInputException(
                "early_stopping_patience", $"must be in 0..{MaxEpochs} (0 = off), got {EarlyStoppingPatience}");
        }

        if (!(GenreWeight is >= 0 and <= MaxGenreWeight))
        {
            throw new InvalidInputException("genre_weight", $"must be in [0, {MaxGenreWeight}] (0 = pure autoencoder), got {GenreWeight}");
        }

        if (!(GenreTemperature > 0 && GenreTemperature <= MaxGenreTemperature))
        {
            throw new InvalidInputException("genre_temperature", $"must be in (0, {MaxGenreTemperature}], got {GenreTemperature}");
        }

        if (!Enum.IsDefined(Schedule))
        {
            throw new InvalidInputException("schedule", $"unknown learning-rate schedule {Schedule}");
        }
    }
}
