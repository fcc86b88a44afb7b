using MusicDna.Core.Numerics;

namespace MusicDna.Core.Tests.Numerics;

// Expected values come from scipy 1.10 (optimize.bracket / optimize.brent) on the same functions.
public sealed class BrentMinimizerTests
{
    [Fact]
    public void Bracket_walks_downhill_to_the_points_scipy_returns()
    {
        var (xa, xb, xc, fa, fb, fc) = BrentMinimizer.Bracket(x => (10 * x * x) + (3 * x) + 5, 0, 1);

        Assert.Equal((1.0, 0.0, -1.618034), (xa, xb, xc));
        Assert.Equal(18.0, fa);
        Assert.Equal(5.0, fb);
        Assert.Equal(26.326238251559996, fc, 12);
    }

    [Fact]
    public void Minimize_finds_the_vertex_of_a_parabola_inside_the_bracket()
    {
        Assert.Equal(1.5, BrentMinimizer.Minimize(x => (x - 1.5) * (x - 1.5), -2, 2), 12);
    }

    [Fact]
    public void Minimize_follows_the_function_beyond_the_starting_bracket()
    {
        Assert.Equal(7.25, BrentMinimizer.Minimize(x => (x - 7.25) * (x - 7.25), -2, 2), 9);
    }

    [Fact]
    public void Minimize_agrees_with_scipy_on_a_skewed_function()
    {
        var minimum = BrentMinimizer.Minimize(x => Math.Cosh(x - 0.3) + (0.1 * Math.Pow(x, 4)), -2, 2);

        Assert.Equal(0.29022212206484366, minimum, 7);
    }
}
