namespace MusicDna.Engine.Harmony;

/// <summary>
/// How near two tempos are for mixing: the relative gap, optionally counting half and double time as the same tempo
/// (a 170 BPM track mixes with one at 85).
/// </summary>
public static class TempoMatch
{
    /// <summary>|tempo − reference| / reference, the smallest over the reference, its half and its double when asked.</summary>
    public static double RelativeGap(double tempo, double reference, bool halfDouble)
    {
        if (reference <= 0)
        {
            return tempo <= 0 ? 0 : double.PositiveInfinity;
        }

        var gap = Math.Abs(tempo - reference) / reference;
        if (halfDouble)
        {
            gap = Math.Min(gap, Math.Min(Math.Abs(tempo - (reference * 2)) / (reference * 2), Math.Abs(tempo - (reference / 2)) / (reference / 2)));
        }

        return gap;
    }
}
