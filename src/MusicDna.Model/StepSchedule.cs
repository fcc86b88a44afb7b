namespace MusicDna.Model;

/// <summary>
/// The learning rate of each optimiser step: constant, or cosine annealing from the configured rate to 1 % of it
/// over the planned steps, stepped per batch (the closed form of PyTorch's and TorchSharp's CosineAnnealingLR).
/// </summary>
internal sealed class StepSchedule
{
    private readonly TrainingOptions options;
    private readonly long plannedSteps;
    private long taken;

    public StepSchedule(TrainingOptions options, long plannedSteps)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(plannedSteps);
        this.options = options;
        this.plannedSteps = plannedSteps;
    }

    /// <summary>The rate for the next step.</summary>
    public double Next()
    {
        var rate = options.LearningRate;
        if (options.Schedule == LearningRateSchedule.Cosine)
        {
            var floor = rate * 0.01;
            rate = floor + ((rate - floor) * (1 + Math.Cos(Math.PI * taken / plannedSteps)) / 2);
        }

        taken++;
        return rate;
    }
}
