using MusicDna.Evaluation;

namespace MusicDna.Evaluation.Tests;

public sealed class ReconstructionErrorTests
{
    [Fact]
    public void Mean_squared_error_averages_over_every_row_and_feature()
    {
        // Two rows of two features: squared differences 1, 0, 4, 0 → 5 / 4.
        float[] actual = [0, 1, 2, 3];
        float[] reconstructed = [1, 1, 0, 3];

        Assert.Equal(1.25, ReconstructionError.MeanSquared(actual, reconstructed), 12);
    }

    [Fact]
    public void Arrays_of_different_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ReconstructionError.MeanSquared([1, 2], [1]));
    }
}
