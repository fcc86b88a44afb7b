namespace MusicDna.Model;

/// <summary>How a published model scored when it was trained (losses are MSE per element of scaled features).</summary>
public sealed record ModelMetrics(
    double TestMse,
    double BestValidationLoss,
    int EpochsRun,
    int TrainRows,
    TimeSpan Duration)
{
    public static ModelMetrics From(TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ModelMetrics(
            result.TestMse, result.BestValidationLoss, result.EpochsRun, result.TrainRows, result.Duration);
    }
}
