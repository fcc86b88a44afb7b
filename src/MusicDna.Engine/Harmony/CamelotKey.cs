namespace MusicDna.Engine.Harmony;

/// <summary>
/// A key on the Camelot wheel DJs mix by: a number 1 to 12 (one step = a perfect fifth) and a letter, A minor, B major.
/// Neighbours on the wheel share all but one note, so they mix without a clash: the same code, one step either way
/// with the same letter, and the relative major or minor (same number, other letter); two steps clockwise is the
/// "energy boost". The table (docs/steering.md) maps Spotify's pitch class and mode.
/// </summary>
public readonly record struct CamelotKey(int Number, bool Major)
{
    // Camelot number of each pitch class (0 = C … 11 = B), major and minor.
    private static readonly int[] MajorNumbers = [8, 3, 10, 5, 12, 7, 2, 9, 4, 11, 6, 1];
    private static readonly int[] MinorNumbers = [5, 12, 7, 2, 9, 4, 11, 6, 1, 8, 3, 10];

    public char Letter => Major ? 'B' : 'A';

    /// <summary>The key of a pitch class and mode (1 major, 0 minor), or null for no detected key (-1).</summary>
    public static CamelotKey? Of(double pitchClass, double mode)
    {
        if (pitchClass is < 0 or > 11 || pitchClass != Math.Floor(pitchClass))
        {
            return null;
        }

        var major = mode >= 0.5;
        return new CamelotKey((major ? MajorNumbers : MinorNumbers)[(int)pitchClass], major);
    }

    /// <summary>Steps clockwise from this key's number to <paramref name="other"/>'s, 0 to 11.</summary>
    public int StepsTo(CamelotKey other) => ((other.Number - Number) % 12 + 12) % 12;

    /// <summary>Same code, ±1 step with the same letter, or the relative major/minor; with the boost, also +2 steps.</summary>
    public bool MixesWith(CamelotKey other, bool energyBoost = false)
    {
        var steps = StepsTo(other);
        if (Major == other.Major)
        {
            return steps is 0 or 1 or 11 || (energyBoost && steps == 2);
        }

        return steps == 0;
    }

    /// <summary>Whether a filter of <paramref name="mode"/> around this key accepts <paramref name="other"/>.</summary>
    public bool Accepts(CamelotKey other, KeyMatchMode mode, bool energyBoost) => mode switch
    {
        KeyMatchMode.None => true,
        KeyMatchMode.Same => other == this || (energyBoost && other.Major == Major && StepsTo(other) == 2),
        _ => MixesWith(other, energyBoost),
    };

    public override string ToString() => $"{Number}{Letter}";
}
