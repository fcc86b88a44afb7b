namespace MusicDna.Model.Tests;

/// <summary>
/// TorchSharp frees a Scalar's native value in its finaliser, so a temporary Scalar handed to libtorch can be freed
/// by a collection on another thread while libtorch still reads it (libtorch then throws on the garbage, or the
/// process aborts). Training must hand libtorch only Scalars it keeps alive. Collections forced in a loop on another
/// thread make the window wide; the test can still miss a single stray temporary (one per step fails about every
/// other run), never report a false failure.
/// </summary>
[Collection(TorchTests.Name)]
public sealed class CollectionStressTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void Training_survives_garbage_collections_forced_on_another_thread(double genreWeight)
    {
        var data = SyntheticTracks.Split(1600, 100, 0) with
        {
            TrainGenres = [.. Enumerable.Range(0, 1600).Select(i => i % 4)],
            GenreCount = 4,
        };
        var options = new TrainingOptions(Epochs: 20, BatchSize: 16, EarlyStoppingPatience: 0, GenreWeight: genreWeight);
        using var stop = new CancellationTokenSource();
        var collections = 0;
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                collections++;
            }
        });

        collector.Start();
        TrainingResult result;
        try
        {
            result = new AutoencoderTrainer().Train(new AutoencoderConfig(), options, data, null, CancellationToken.None);
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }

        using var model = result.Model;
        Assert.Equal(options.Epochs, result.EpochsRun);
        Assert.True(double.IsFinite(result.TestMse));
        Assert.True(collections > 100, $"only {collections} collections ran during training");
    }
}
