namespace MusicDna.Model;

/// <summary>How the learning rate moves over a training run.</summary>
public enum LearningRateSchedule
{
    /// <summary>The configured rate throughout.</summary>
    Constant = 0,

    /// <summary>Cosine annealing from the configured rate to 1% of it over the planned epochs, stepped per batch.</summary>
    Cosine = 1,
}
