using MusicDna.Core.Numerics;

namespace MusicDna.Engine.Snapshots;

/// <summary>
/// The similarity a person reads, from the cosine the index ranks by: <c>1 − θ / θ_median</c>, where θ is the angle
/// between two unit latent vectors (arccos of their cosine) and θ_median the median angle between two tracks of the
/// catalogue drawn at random. 1 is the same direction, 0 as far apart as a typical pair of catalogue tracks, below 0
/// farther than that (down to <see cref="Lowest"/> for opposite vectors). A monotone map of the cosine, so it ranks
/// exactly as the index does; the model's latents crowd into one orthant, so the cosines of near neighbours differ
/// only in the fourth decimal while their angles spread (docs/recommend.md has the measurement).
/// </summary>
public sealed class SimilarityScale
{
    /// <summary>Random pairs measured to find the median angle.</summary>
    public const int SamplePairs = 100_000;

    private const ulong Seed = 0x5C0E_5EED;

    // A catalogue of identical tracks has a median angle of 0: score them on a fixed, tiny reference instead.
    private const double SmallestMedianAngle = 1e-3;

    // The cosine of two unit vectors in float is off by a few units in the last place, and arccos magnifies that
    // near 1: one float step below 1 is an angle of 3.5e-4 rad, so a track and its twin would read 0.9995 or 1 by
    // the luck of rounding (on one CPU or another). Cosines within four float steps of 1 (angles under 7e-4 rad,
    // inside the rounding of a float cosine) read the same direction; every other cosine is scored as it is.
    private const float SameDirection = 0.99999976f;

    public SimilarityScale(double medianAngle)
    {
        if (!double.IsFinite(medianAngle) || medianAngle <= 0 || medianAngle > Math.PI)
        {
            throw new ArgumentOutOfRangeException(nameof(medianAngle), medianAngle, "must be in (0, π]");
        }

        MedianAngle = Math.Max(medianAngle, SmallestMedianAngle);
    }

    /// <summary>Before any measurement: the right angle as the reference (a cosine of 0 reads 0).</summary>
    public static SimilarityScale Uncalibrated { get; } = new(Math.PI / 2);

    /// <summary>θ_median in radians.</summary>
    public double MedianAngle { get; }

    /// <summary>The score of opposite vectors, the lowest there is.</summary>
    public double Lowest => 1 - (Math.PI / MedianAngle);

    public float Score(float cosine) =>
        cosine >= SameDirection ? 1f : (float)(1 - (Math.Acos(Math.Clamp(cosine, -1f, 1f)) / MedianAngle));

    /// <summary>
    /// Measures θ_median over <see cref="SamplePairs"/> seeded random pairs of the table's tracks (taken in row id
    /// order, so the same catalogue gives the same scale); fewer than two tracks leave it <see cref="Uncalibrated"/>.
    /// </summary>
    public static SimilarityScale Measure(TrackTable tracks)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        var vectors = tracks.Rows.OrderBy(r => r.Key).Select(r => r.Value).ToArray();
        if (vectors.Length < 2)
        {
            return Uncalibrated;
        }

        var random = new SplitMix64(Seed);
        var angles = new double[SamplePairs];
        for (var p = 0; p < angles.Length; p++)
        {
            var i = random.NextBelow(vectors.Length);
            var j = random.NextBelow(vectors.Length - 1);
            j += j >= i ? 1 : 0;
            angles[p] = Math.Acos(Math.Clamp(UnitVector.Dot(vectors[i].Vector, vectors[j].Vector), -1f, 1f));
        }

        Array.Sort(angles);
        return new SimilarityScale(Math.Max((angles[(SamplePairs / 2) - 1] + angles[SamplePairs / 2]) / 2, SmallestMedianAngle));
    }
}
