namespace MusicDna.Model;

/// <summary>
/// A finished training. <see cref="TestMse"/> is the mean squared error over every element of the test rows (of
/// the validation rows when no test rows were given), measured with the restored best weights.
/// </summary>
public sealed record TrainingResult(
    TrainedAutoencoder Model,
    double TestMse,
    double BestValidationLoss,
    int EpochsRun,
    int TrainRows,
    TimeSpan Duration);
