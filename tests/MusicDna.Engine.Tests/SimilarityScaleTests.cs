using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Tests;

public sealed class SimilarityScaleTests
{
    [Fact]
    public void The_same_direction_reads_one_the_median_angle_zero_and_opposite_vectors_the_lowest_score()
    {
        var scale = new SimilarityScale(Math.PI / 4);

        Assert.Equal(1f, scale.Score(1f));
        Assert.Equal(0f, scale.Score(MathF.Cos(MathF.PI / 4)), 1e-6f);
        Assert.Equal(0.5f, scale.Score(MathF.Cos(MathF.PI / 8)), 1e-6f);
        Assert.Equal((float)scale.Lowest, scale.Score(-1f), 1e-6f);
        Assert.Equal(-3, scale.Lowest, 9);
    }

    [Fact]
    public void The_score_is_monotone_in_the_cosine_so_it_ranks_as_the_index_does()
    {
        var scale = new SimilarityScale(0.9);
        var cosines = Enumerable.Range(-100, 201).Select(i => i / 100f).ToArray();

        var scores = cosines.Select(scale.Score).ToArray();

        Assert.Equal(scores.Order(), scores);
        Assert.Equal(scores.Length, scores.Distinct().Count());
    }

    [Fact]
    public void A_vectors_cosine_with_itself_reads_one_even_when_float_rounding_puts_it_below_one()
    {
        var scale = new SimilarityScale(0.7630); // the full dataset's median angle (docs/recommend.md)
        var random = new Random(11);
        var below = 0;
        for (var n = 0; n < 2000; n++)
        {
            var vector = Enumerable.Range(0, 6).Select(_ => (float)random.NextDouble()).ToArray();
            MusicDna.Index.VectorMath.Normalize(vector);
            var cosine = UnitVector.Dot(vector, vector);
            below += cosine < 1f ? 1 : 0;
            Assert.Equal(1f, scale.Score(cosine));
        }

        Assert.True(below > 0, "no vector's float cosine with itself fell below 1: the case was never tried");
    }

    [Fact]
    public void A_cosine_a_hair_above_one_from_float_rounding_reads_one()
    {
        Assert.Equal(1f, new SimilarityScale(0.9).Score(1.0000001f));
    }

    [Fact]
    public void The_median_angle_is_measured_over_the_tables_tracks_and_is_the_same_for_the_same_tracks()
    {
        var table = Table(1000, seed: 3);

        var first = SimilarityScale.Measure(table);
        var again = SimilarityScale.Measure(Table(1000, seed: 3));

        Assert.Equal(first.MedianAngle, again.MedianAngle);

        // Random directions in 6 dimensions are nearly orthogonal: their median angle is close to a right angle.
        Assert.InRange(first.MedianAngle, 1.3, 1.85);
    }

    [Fact]
    public void Tracks_crowded_into_one_orthant_get_a_small_median_angle_so_near_neighbours_spread_out()
    {
        var table = Table(1000, seed: 4, positive: true);

        var scale = SimilarityScale.Measure(table);

        Assert.InRange(scale.MedianAngle, 0.5, 1.1);
        Assert.True(scale.Score(0.999f) < 0.96f);
    }

    [Fact]
    public void Fewer_than_two_tracks_leave_the_scale_uncalibrated()
    {
        Assert.Same(SimilarityScale.Uncalibrated, SimilarityScale.Measure(Table(1, seed: 1)));
        Assert.Equal(Math.PI / 2, SimilarityScale.Uncalibrated.MedianAngle);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(4)]
    [InlineData(double.NaN)]
    public void A_median_angle_outside_zero_to_pi_is_refused(double angle)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimilarityScale(angle));
    }

    private static TrackTable Table(int count, int seed, bool positive = false)
    {
        var random = new Random(seed);
        var table = new TrackTable(6);
        for (var i = 1; i <= count; i++)
        {
            var vector = Enumerable.Range(0, 6).Select(_ => (float)(positive ? random.NextDouble() : (random.NextDouble() * 2) - 1)).ToArray();
            TestTracks.Upsert(table, i, TestTracks.Track($"t{i}"), vector);
        }

        return table;
    }
}
