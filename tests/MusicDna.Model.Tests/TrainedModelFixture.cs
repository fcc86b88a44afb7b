namespace MusicDna.Model.Tests;

/// <summary>One model trained on synthetic tracks, shared by the tests that only read it (training is the slow part).</summary>
public sealed class TrainedModelFixture : IDisposable
{
    public TrainedModelFixture()
    {
        Data = SyntheticTracks.Split(trainRows: 1600, validationRows: 200, testRows: 200);
        Options = new TrainingOptions(Epochs: 30, BatchSize: 64, LearningRate: 1e-2);
        Result = new AutoencoderTrainer().Train(new AutoencoderConfig(), Options, Data, Progress, CancellationToken.None);
    }

    public TrainingData Data { get; }

    public TrainingOptions Options { get; }

    public TrainingResult Result { get; }

    public RecordingProgress Progress { get; } = new();

    public TrainedAutoencoder Model => Result.Model;

    public void Dispose() => Result.Model.Dispose();
}
