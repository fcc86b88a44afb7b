using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Tests;

/// <summary>Hand-made and seeded catalogue tracks with valid raw features.</summary>
internal static class TestTracks
{
    private static readonly int TempoIndex = FeatureSchema.IndexOf("tempo");

    public static Track Track(string trackId, string genre = "pop", int popularity = 0, params string[] artists) =>
        new(trackId, "Name of " + trackId, artists.Length == 0 ? ["Artist of " + trackId] : artists, "Album", genre,
            popularity, Explicit: false, DurationMs: 200_000, Features(new Random(StableSeed(trackId))));

    /// <summary>Facts with a vector given by hand (normalised here, as a snapshot stores them).</summary>
    public static TrackFacts Facts(string trackId, float[] vector, int popularity = 0, params string[] artists) =>
        Facts(Track(trackId, popularity: popularity, artists: artists), vector);

    /// <summary>The facts of this track with a vector given by hand, read back from a table of its own.</summary>
    public static TrackFacts Facts(Track track, float[] vector)
    {
        var table = new TrackTable(vector.Length);
        Upsert(table, 1, track, vector);
        Assert.True(table.TryGet(1, out var facts));
        return facts;
    }

    /// <summary>Upserts a track with a vector given by hand (normalised here, as a snapshot stores them) and its song.</summary>
    public static void Upsert(TrackTable table, long rowId, Track track, float[] vector)
    {
        var unit = vector.ToArray();
        MusicDna.Index.VectorMath.Normalize(unit);
        table.Upsert(rowId, track, SongKey.Of(track), unit);
    }

    /// <summary>Each track's song, as the catalogue would store it.</summary>
    public static string[] Songs(IEnumerable<Track> tracks) => [.. tracks.Select(SongKey.Of)];

    // string.GetHashCode differs from run to run; the features must not.
    private static int StableSeed(string text) => text.Aggregate(17, (hash, c) => unchecked((hash * 31) + c));

    /// <summary>Raw features spread over the schema's ranges, whole numbers where the schema wants them.</summary>
    public static double[] Features(Random random)
    {
        var features = new double[FeatureSchema.Count];
        for (var i = 0; i < features.Length; i++)
        {
            var spec = FeatureSchema.Features[i];
            features[i] = spec.Integral
                ? random.Next((int)spec.Min, (int)spec.Max + 1)
                : spec.Min + (random.NextDouble() * (spec.Max - spec.Min));
        }

        features[TempoIndex] = 60 + (random.NextDouble() * 140);
        features[FeatureSchema.IndexOf("loudness")] = -30 + (random.NextDouble() * 30);
        return features;
    }

    /// <summary>Seeded raw feature rows.</summary>
    public static List<double[]> FeatureRows(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Features(random))];
    }

    /// <summary>Seeded latent vectors (row-major, not normalised), for snapshots whose tracks need spread-out vectors.</summary>
    public static float[] Vectors(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        var values = new float[count * dimension];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
