namespace MusicDna.Core.Numerics;

/// <summary>Functions .NET lacks in an accurate form.</summary>
internal static class PreciseMath
{
    /// <summary>
    /// log(1 + x) without cancellation for small x (<c>double.LogP1</c> is plain <c>Log(x + 1)</c>).
    /// Uses the rounding-compensation trick from Goldberg, "What every computer scientist should know about
    /// floating-point arithmetic" (1991), theorem 4: accurate to a few ulps.
    /// </summary>
    public static double Log1P(double x)
    {
        var u = 1.0 + x;
        if (u == 1.0)
        {
            return x;
        }

        if (double.IsPositiveInfinity(u))
        {
            return u;
        }

        return Math.Log(u) * x / (u - 1.0);
    }
}
