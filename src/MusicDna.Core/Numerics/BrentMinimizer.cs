namespace MusicDna.Core.Numerics;

/// <summary>
/// A line-for-line port of scipy 1.10's <c>optimize.bracket</c> and <c>optimize.brent</c> (the <c>Brent</c> class),
/// so that minimising the same function from the same start gives the same point scipy gives.
/// Comparisons and branches follow scipy exactly, including how NaN and infinity fall through them.
/// </summary>
internal static class BrentMinimizer
{
    private const double Gold = 1.618034;
    private const double VerySmallNumber = 1e-21;
    private const double GrowLimit = 110.0;
    private const int BracketMaxIterations = 1000;
    private const double MinTolerance = 1.0e-11;
    private const double ComplementGolden = 0.3819660;

    /// <summary><c>scipy.optimize.brent(func, brack=(xa, xb), tol=tol, maxiter=maxIterations)</c>.</summary>
    public static double Minimize(Func<double, double> func, double xa, double xb, double tol = 1.48e-8, int maxIterations = 500)
    {
        var (ba, bb, bc, _, fb, _) = Bracket(func, xa, xb);
        return Brent(func, ba, bb, bc, fb, tol, maxIterations);
    }

    /// <summary>
    /// <c>scipy.optimize.bracket</c>: walks downhill from (xa, xb) until f(xb) is below both ends.
    /// Returns the three points and their values.
    /// </summary>
    public static (double Xa, double Xb, double Xc, double Fa, double Fb, double Fc) Bracket(
        Func<double, double> func, double xa, double xb)
    {
        var fa = func(xa);
        var fb = func(xb);
        if (fa < fb)
        {
            (xa, xb) = (xb, xa);
            (fa, fb) = (fb, fa);
        }

        var xc = xb + (Gold * (xb - xa));
        var fc = func(xc);
        var iteration = 0;
        while (fc < fb)
        {
            var tmp1 = (xb - xa) * (fb - fc);
            var tmp2 = (xb - xc) * (fb - fa);
            var val = tmp2 - tmp1;
            var denom = Math.Abs(val) < VerySmallNumber ? 2.0 * VerySmallNumber : 2.0 * val;
            var w = xb - ((((xb - xc) * tmp2) - ((xb - xa) * tmp1)) / denom);
            var wlim = xb + (GrowLimit * (xc - xb));
            if (iteration > BracketMaxIterations)
            {
                throw new InvalidOperationException("Bracketing the minimum took too many iterations.");
            }

            iteration++;
            double fw;
            if ((w - xc) * (xb - w) > 0.0)
            {
                fw = func(w);
                if (fw < fc)
                {
                    return (xb, w, xc, fb, fw, fc);
                }

                if (fw > fb)
                {
                    return (xa, xb, w, fa, fb, fw);
                }

                w = xc + (Gold * (xc - xb));
                fw = func(w);
            }
            else if ((w - wlim) * (wlim - xc) >= 0.0)
            {
                w = wlim;
                fw = func(w);
            }
            else if ((w - wlim) * (xc - w) > 0.0)
            {
                fw = func(w);
                if (fw < fc)
                {
                    xb = xc;
                    xc = w;
                    w = xc + (Gold * (xc - xb));
                    fb = fc;
                    fc = fw;
                    fw = func(w);
                }
            }
            else
            {
                w = xc + (Gold * (xc - xb));
                fw = func(w);
            }

            xa = xb;
            xb = xc;
            xc = w;
            fa = fb;
            fb = fc;
            fc = fw;
        }

        return (xa, xb, xc, fa, fb, fc);
    }

    /// <summary>The core of scipy's <c>Brent.optimize</c>: golden-section steps with parabolic interpolation.</summary>
    private static double Brent(Func<double, double> func, double xa, double xb, double xc, double fb, double tol, int maxIterations)
    {
        double x = xb, w = xb, v = xb;
        double fx = fb, fw = fb, fv = fb;
        double a, b;
        if (xa < xc)
        {
            a = xa;
            b = xc;
        }
        else
        {
            a = xc;
            b = xa;
        }

        var deltax = 0.0;
        var rat = 0.0;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var tol1 = (tol * Math.Abs(x)) + MinTolerance;
            var tol2 = 2.0 * tol1;
            var xmid = 0.5 * (a + b);
            if (Math.Abs(x - xmid) < (tol2 - (0.5 * (b - a))))
            {
                break;
            }

            if (Math.Abs(deltax) <= tol1)
            {
                deltax = x >= xmid ? a - x : b - x;
                rat = ComplementGolden * deltax;
            }
            else
            {
                var tmp1 = (x - w) * (fx - fv);
                var tmp2 = (x - v) * (fx - fw);
                var p = ((x - v) * tmp2) - ((x - w) * tmp1);
                tmp2 = 2.0 * (tmp2 - tmp1);
                if (tmp2 > 0.0)
                {
                    p = -p;
                }

                tmp2 = Math.Abs(tmp2);
                var previousDelta = deltax;
                deltax = rat;
                if (p > tmp2 * (a - x) && p < tmp2 * (b - x) && Math.Abs(p) < Math.Abs(0.5 * tmp2 * previousDelta))
                {
                    rat = p * 1.0 / tmp2;
                    var trial = x + rat;
                    if ((trial - a) < tol2 || (b - trial) < tol2)
                    {
                        rat = xmid - x >= 0 ? tol1 : -tol1;
                    }
                }
                else
                {
                    deltax = x >= xmid ? a - x : b - x;
                    rat = ComplementGolden * deltax;
                }
            }

            double u;
            if (Math.Abs(rat) < tol1)
            {
                u = rat >= 0 ? x + tol1 : x - tol1;
            }
            else
            {
                u = x + rat;
            }

            var fu = func(u);
            if (fu > fx)
            {
                if (u < x)
                {
                    a = u;
                }
                else
                {
                    b = u;
                }

                if (fu <= fw || w == x)
                {
                    v = w;
                    w = u;
                    fv = fw;
                    fw = fu;
                }
                else if (fu <= fv || v == x || v == w)
                {
                    v = u;
                    fv = fu;
                }
            }
            else
            {
                if (u >= x)
                {
                    a = x;
                }
                else
                {
                    b = x;
                }

                v = w;
                w = x;
                x = u;
                fv = fw;
                fw = fx;
                fx = fu;
            }
        }

        return x;
    }
}
