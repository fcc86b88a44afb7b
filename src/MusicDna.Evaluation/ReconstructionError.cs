namespace MusicDna.Evaluation;

/// <summary>Mean squared reconstruction error over every element (all rows, all features), summed in double.</summary>
public static class ReconstructionError
{
    public static double MeanSquared(ReadOnlySpan<float> actual, ReadOnlySpan<float> reconstructed)
    {
        if (actual.Length != reconstructed.Length)
        {
            throw new ArgumentException(
                $"Both must hold the same number of values ({actual.Length} and {reconstructed.Length}).", nameof(reconstructed));
        }

        if (actual.Length == 0)
        {
            throw new ArgumentException("There is nothing to compare.", nameof(actual));
        }

        var sum = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            var d = (double)actual[i] - reconstructed[i];
            sum += d * d;
        }

        return sum / actual.Length;
    }
}
