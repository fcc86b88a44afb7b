namespace MusicDna.Index;

/// <summary>The vector arithmetic the index and its callers share, so seed vectors are normalised the same way.</summary>
public static class VectorMath
{
    /// <summary>Scales the vector to unit L2 length in place; a zero vector stays zero. Non-finite input is not
    /// checked here (see <see cref="AllFinite"/>).</summary>
    public static void Normalize(Span<float> vector)
    {
        // Accumulate in double: squaring large float components would overflow, tiny ones would underflow.
        var sumOfSquares = 0d;
        foreach (var value in vector)
        {
            sumOfSquares += (double)value * value;
        }

        if (sumOfSquares == 0d)
        {
            return;
        }

        var scale = 1d / Math.Sqrt(sumOfSquares);
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(vector[i] * scale);
        }
    }

    /// <summary>Normalises each row of a row-major matrix with <paramref name="dimension"/> columns.</summary>
    public static void NormalizeRows(Span<float> rows, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (rows.Length % dimension != 0)
        {
            throw new ArgumentException($"Length {rows.Length} is not a multiple of the dimension {dimension}.", nameof(rows));
        }

        for (var start = 0; start < rows.Length; start += dimension)
        {
            Normalize(rows.Slice(start, dimension));
        }
    }

    /// <summary>True when no component is NaN or infinite.</summary>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }
}
