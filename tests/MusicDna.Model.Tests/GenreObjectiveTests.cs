using MusicDna.Core.Errors;

namespace MusicDna.Model.Tests;

[Collection(TorchTests.Name)]
public sealed class GenreObjectiveTests
{
    [Fact]
    public void A_genre_weight_without_labels_trains_exactly_the_pure_autoencoder()
    {
        var data = SyntheticTracks.Split(400, 100, 100);
        var options = new TrainingOptions(Epochs: 3, BatchSize: 32, Seed: 5);

        using var pure = new AutoencoderTrainer().Train(new AutoencoderConfig(), options, data, null, CancellationToken.None).Model;
        using var weighted = new AutoencoderTrainer().Train(
            new AutoencoderConfig(), options with { GenreWeight = 0.5 }, data, null, CancellationToken.None).Model;

        Assert.Equal(pure.Encode(data.Test, 100), weighted.Encode(data.Test, 100));
    }

    [Fact]
    public void Genre_labels_with_a_weight_shape_the_latent_space_and_the_model_still_encodes_audio_alone()
    {
        var data = SyntheticTracks.Split(400, 100, 100) with { };
        var labelled = data with { TrainGenres = [.. Enumerable.Range(0, 400).Select(i => i % 3)], GenreCount = 3 };
        var options = new TrainingOptions(Epochs: 3, BatchSize: 32, Seed: 5);

        using var pure = new AutoencoderTrainer().Train(new AutoencoderConfig(), options, labelled, null, CancellationToken.None).Model;
        using var weighted = new AutoencoderTrainer().Train(
            new AutoencoderConfig(), options with { GenreWeight = 0.5 }, labelled, null, CancellationToken.None).Model;

        Assert.NotEqual(pure.Encode(data.Test, 100), weighted.Encode(data.Test, 100));
        Assert.Equal(100 * 6, weighted.Encode(data.Test, 100).Length);
    }

    [Fact]
    public void Labels_that_do_not_match_the_training_rows_are_refused_by_field()
    {
        var data = SyntheticTracks.Split(40, 10, 0);

        var tooFew = Assert.Throws<InvalidInputException>(() =>
            (data with { TrainGenres = [0, 1], GenreCount = 2 }).Validate(new AutoencoderConfig()));
        var outOfRange = Assert.Throws<InvalidInputException>(() =>
            (data with { TrainGenres = [.. Enumerable.Repeat(2, 40)], GenreCount = 2 }).Validate(new AutoencoderConfig()));

        Assert.Equal("training_data.train_genres", tooFew.Field);
        Assert.Equal("training_data.train_genres", outOfRange.Field);
    }
}
