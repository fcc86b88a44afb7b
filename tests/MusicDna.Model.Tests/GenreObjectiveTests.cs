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
    public void The_contrastive_genre_term_pulls_tracks_of_one_genre_together_in_cosine_space()
    {
        // Genres that audio can tell apart, as real ones partly can: the tertile of one feature.
        var data = SyntheticTracks.Split(400, 100, 100);
        int[] labels = [.. Enumerable.Range(0, 400).Select(i => Math.Min(2, (int)(data.Train[i * SyntheticTracks.Features] * 3)))];
        var labelled = data with { TrainGenres = labels, GenreCount = 3 };
        var options = new TrainingOptions(Epochs: 10, BatchSize: 64, Seed: 5, EarlyStoppingPatience: 0);

        using var pure = new AutoencoderTrainer().Train(new AutoencoderConfig(), options, labelled, null, CancellationToken.None).Model;
        using var weighted = new AutoencoderTrainer().Train(
            new AutoencoderConfig(), options with { GenreWeight = 1 }, labelled, null, CancellationToken.None).Model;

        var pureMargin = SameGenreMargin(pure.Encode(data.Train, 400), labels);
        var weightedMargin = SameGenreMargin(weighted.Encode(data.Train, 400), labels);
        Assert.True(
            weightedMargin > pureMargin + 0.05,
            $"mean cosine same genre minus different genre: {weightedMargin:F4} with the term, {pureMargin:F4} without");
    }

    /// <summary>Mean cosine similarity of pairs sharing a label minus that of pairs that do not.</summary>
    private static double SameGenreMargin(float[] latents, int[] labels)
    {
        var dims = latents.Length / labels.Length;
        var unit = new double[latents.Length];
        for (var r = 0; r < labels.Length; r++)
        {
            var norm = Math.Sqrt(Enumerable.Range(0, dims).Sum(d => (double)latents[(r * dims) + d] * latents[(r * dims) + d]));
            for (var d = 0; d < dims; d++)
            {
                unit[(r * dims) + d] = latents[(r * dims) + d] / norm;
            }
        }

        double same = 0, different = 0;
        long sameCount = 0, differentCount = 0;
        for (var a = 0; a < labels.Length; a++)
        {
            for (var b = a + 1; b < labels.Length; b++)
            {
                var cosine = Enumerable.Range(0, dims).Sum(d => unit[(a * dims) + d] * unit[(b * dims) + d]);
                if (labels[a] == labels[b])
                {
                    same += cosine;
                    sameCount++;
                }
                else
                {
                    different += cosine;
                    differentCount++;
                }
            }
        }

        return (same / sameCount) - (different / differentCount);
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
