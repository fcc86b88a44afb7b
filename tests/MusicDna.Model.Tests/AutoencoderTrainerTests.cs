using TorchSharp;

namespace MusicDna.Model.Tests;

[Collection(TorchTests.Name)]
public sealed class AutoencoderTrainerTests(TrainedModelFixture fixture)
{
    [Fact]
    public void Training_on_a_low_dimensional_manifold_beats_predicting_the_column_means_by_far()
    {
        var baseline = SyntheticTracks.ColumnMeanMse(fixture.Data.Validation);

        Assert.True(
            fixture.Result.BestValidationLoss < baseline * 0.25,
            $"best validation loss {fixture.Result.BestValidationLoss} vs column-mean baseline {baseline}");
        Assert.True(fixture.Result.TestMse < SyntheticTracks.ColumnMeanMse(fixture.Data.Test) * 0.25);
        Assert.Equal(1600, fixture.Result.TrainRows);
    }

    [Fact]
    public void Every_epoch_is_reported_in_order_with_the_validation_loss_that_was_kept_as_best()
    {
        var reports = fixture.Progress.Reports;

        Assert.Equal(fixture.Result.EpochsRun, reports.Count);
        Assert.Equal(Enumerable.Range(1, reports.Count), reports.Select(r => r.Epoch));
        Assert.All(reports, r => Assert.Equal(fixture.Options.Epochs, r.Epochs));
        Assert.Equal(reports.Min(r => r.ValidationLoss), fixture.Result.BestValidationLoss);
        Assert.True(reports[^1].TrainLoss < reports[0].TrainLoss);
    }

    [Fact]
    public void Two_trainings_with_the_same_seed_report_identical_losses()
    {
        var data = SyntheticTracks.Split(600, 100, 100);
        var options = new TrainingOptions(Epochs: 4, BatchSize: 32, Seed: 11);

        var first = TrainAndRecord(data, options);
        var second = TrainAndRecord(data, options);

        Assert.Equal(first.Losses, second.Losses);
        Assert.Equal(first.TestMse, second.TestMse);
    }

    [Fact]
    public void A_different_seed_gives_different_losses()
    {
        var data = SyntheticTracks.Split(600, 100, 100);
        var options = new TrainingOptions(Epochs: 2, BatchSize: 32, Seed: 11);

        var first = TrainAndRecord(data, options);
        var second = TrainAndRecord(data, options with { Seed = 12 });

        Assert.NotEqual(first.Losses, second.Losses);
    }

    [Fact]
    public void Early_stopping_ends_training_and_restores_the_weights_of_the_best_validation_epoch()
    {
        // A learning rate of 1 makes Adam overshoot, so validation loss stops improving within a few epochs.
        var data = SyntheticTracks.Split(600, 100, 0);
        var options = new TrainingOptions(Epochs: 200, BatchSize: 32, LearningRate: 1, EarlyStoppingPatience: 2);
        var progress = new RecordingProgress();

        var result = new AutoencoderTrainer().Train(new AutoencoderConfig(), options, data, progress, CancellationToken.None);
        using var model = result.Model;

        Assert.True(result.EpochsRun < options.Epochs, $"ran all {result.EpochsRun} epochs");
        var bestEpoch = progress.Reports.MinBy(r => r.ValidationLoss)!.Epoch;
        Assert.Equal(bestEpoch + options.EarlyStoppingPatience, result.EpochsRun);

        // With no test rows the test MSE is measured on the validation rows, with the weights actually returned.
        Assert.Equal(result.BestValidationLoss, result.TestMse, 1e-9);
        var reconstructed = model.Reconstruct(data.Validation, data.ValidationRows);
        var mse = reconstructed.Zip(data.Validation, (a, b) => (double)(a - b) * (a - b)).Average();
        Assert.Equal(result.BestValidationLoss, mse, 1e-6);
    }

    [Fact]
    public void Cancelling_from_the_progress_callback_throws_OperationCanceledException_and_leaks_no_tensors()
    {
        var data = SyntheticTracks.Split(600, 100, 100);
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress(_ => cancellation.Cancel());
        var liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.Throws<OperationCanceledException>(() => new AutoencoderTrainer().Train(
            new AutoencoderConfig(), new TrainingOptions(Epochs: 10), data, progress, cancellation.Token));

        Assert.Single(progress.Reports);
        Assert.Equal(liveBefore, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void An_already_cancelled_token_throws_before_any_epoch_runs()
    {
        var progress = new RecordingProgress();

        Assert.Throws<OperationCanceledException>(() => new AutoencoderTrainer().Train(
            new AutoencoderConfig(), new TrainingOptions(), SyntheticTracks.Split(100, 20, 0), progress, new CancellationToken(true)));

        Assert.Empty(progress.Reports);
    }

    private static (List<(double, double)> Losses, double TestMse) TrainAndRecord(TrainingData data, TrainingOptions options)
    {
        var progress = new RecordingProgress();
        var result = new AutoencoderTrainer().Train(new AutoencoderConfig(), options, data, progress, CancellationToken.None);
        result.Model.Dispose();
        return ([.. progress.Reports.Select(r => (r.TrainLoss, r.ValidationLoss))], result.TestMse);
    }
}
