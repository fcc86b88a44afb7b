using MusicDna.Core.Features;

namespace MusicDna.Engine.Snapshots.Compact;

/// <summary>
/// The 12 raw features of a track, exactly, in a quarter of their doubles' bytes and more: a whole-number feature whose
/// range fits a byte (key, mode, time signature) as an <see cref="sbyte"/>, any other as an <see cref="int"/> count of
/// the smallest power of ten (down to 10^-9) whose multiples still span the feature's range. A value is encoded only
/// when decoding gives back its very bits (0.676 is kept as 676,000,000 × 10^-9, whose quotient is the double nearest
/// 0.676, the one parsing "0.676" gives); a track with any other value (more decimals, -0) is not encoded and the
/// caller keeps its doubles as they are.
/// </summary>
internal static class FeatureCodec
{
    // Per feature: its index among the wide (int) values, or the complement of its index among the small ones.
    private static readonly int[] Position = new int[FeatureSchema.Count];
    private static readonly double[] Scale = new double[FeatureSchema.Count];

    static FeatureCodec()
    {
        for (var i = 0; i < FeatureSchema.Count; i++)
        {
            var spec = FeatureSchema.Features[i];
            if (spec.Integral && spec.Min >= sbyte.MinValue && spec.Max <= sbyte.MaxValue)
            {
                Position[i] = ~SmallCount++;
                continue;
            }

            var reach = Math.Max(Math.Abs(spec.Min), Math.Abs(spec.Max));
            var scale = 1d;
            while (scale < 1e9 && reach * scale * 10 <= int.MaxValue)
            {
                scale *= 10;
            }

            Scale[i] = scale;
            Position[i] = WideCount++;
        }
    }

    /// <summary>Values kept as <see cref="int"/> per track.</summary>
    public static int WideCount { get; }

    /// <summary>Values kept as <see cref="sbyte"/> per track.</summary>
    public static int SmallCount { get; }

    /// <summary>Writes the encoded features; false (with the spans partly written) when one has no exact encoding.</summary>
    public static bool TryEncode(ReadOnlySpan<double> features, Span<int> wide, Span<sbyte> small)
    {
        for (var i = 0; i < FeatureSchema.Count; i++)
        {
            var value = features[i];
            var position = Position[i];
            if (position < 0)
            {
                if (!(value >= sbyte.MinValue && value <= sbyte.MaxValue) || !SameBits((sbyte)value, value))
                {
                    return false;
                }

                small[~position] = (sbyte)value;
                continue;
            }

            var scaled = Math.Round(value * Scale[i]);
            if (!(scaled >= int.MinValue && scaled <= int.MaxValue) || !SameBits((int)scaled / Scale[i], value))
            {
                return false;
            }

            wide[position] = (int)scaled;
        }

        return true;
    }

    public static double Decode(int feature, ReadOnlySpan<int> wide, ReadOnlySpan<sbyte> small)
    {
        var position = Position[feature];
        return position >= 0 ? wide[position] / Scale[feature] : small[~position];
    }

    private static bool SameBits(double decoded, double value) =>
        BitConverter.DoubleToInt64Bits(decoded) == BitConverter.DoubleToInt64Bits(value);
}
