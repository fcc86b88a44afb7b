namespace MusicDna.Model;

/// <summary>Reported after each epoch; losses are mean squared error per element.</summary>
public sealed record EpochProgress(int Epoch, int Epochs, double TrainLoss, double ValidationLoss, TimeSpan Elapsed);
