namespace MusicDna.Index.Tests;

public sealed class VectorMathTests
{
    [Fact]
    public void Normalize_scales_a_vector_to_unit_length_keeping_its_direction()
    {
        float[] vector = [3, 0, -4];

        VectorMath.Normalize(vector);

        Assert.Equal([0.6f, 0f, -0.8f], vector);
    }

    [Fact]
    public void Normalize_leaves_a_zero_vector_zero()
    {
        var vector = new float[6];

        VectorMath.Normalize(vector);

        Assert.All(vector, value => Assert.Equal(0f, value));
    }

    [Fact]
    public void Normalize_does_not_overflow_on_components_whose_squares_exceed_float_range()
    {
        float[] vector = [3e30f, 4e30f];

        VectorMath.Normalize(vector);

        Assert.Equal(0.6f, vector[0], 6);
        Assert.Equal(0.8f, vector[1], 6);
    }

    [Fact]
    public void NormalizeRows_normalises_each_row_on_its_own()
    {
        float[] rows = [2, 0, 0, 0, 0, 5];

        VectorMath.NormalizeRows(rows, 3);

        Assert.Equal([1f, 0f, 0f, 0f, 0f, 1f], rows);
    }

    [Fact]
    public void NormalizeRows_rejects_a_length_that_is_not_whole_rows()
    {
        Assert.Throws<ArgumentException>(() => VectorMath.NormalizeRows(new float[5], 3));
    }

    [Fact]
    public void AllFinite_is_false_for_nan_and_infinity_and_true_otherwise()
    {
        Assert.True(VectorMath.AllFinite([1f, -2f, 0f, float.MaxValue]));
        Assert.False(VectorMath.AllFinite([1f, float.NaN]));
        Assert.False(VectorMath.AllFinite([float.NegativeInfinity]));
    }
}
