using MusicDna.Core.Tracks;

namespace MusicDna.Benchmarks;

/// <summary>Deterministic tracks with in-range features, so every benchmark sees the same data on every run.</summary>
internal static class SyntheticTracks
{
    public static double[] Features(Random random) =>
    [
        random.NextDouble(), random.NextDouble(), random.Next(-1, 12), -60 * random.NextDouble(), random.Next(0, 2),
        random.NextDouble(), random.NextDouble(), random.NextDouble(), random.NextDouble(), random.NextDouble(),
        60 + (150 * random.NextDouble()), random.Next(3, 6),
    ];

    public static Track Track(Random random, int i) => new(
        $"track{i:D8}", $"Name {i}", [$"Artist {i % 997}", $"Guest {i % 89}"], $"Album {i % 4999}", $"genre{i % 114}",
        random.Next(0, 101), random.Next(0, 2) == 1, random.Next(60_000, 400_000), Features(random));
}
