using MusicDna.Core.Tracks;

namespace MusicDna.BenchDriver;

/// <summary>Made-up tracks with valid, varied features (seeded, so two runs make the same catalogue).</summary>
internal static class SyntheticCatalogue
{
    private static readonly string[] Genres =
        ["acoustic", "ambient", "blues", "classical", "country", "dance", "disco", "edm", "folk", "funk", "hip-hop",
         "house", "indie", "jazz", "k-pop", "latin", "metal", "opera", "pop", "punk", "r-n-b", "reggae", "rock", "soul"];

    public static Track Make(Random random, string trackId, long index) => new(
        TrackId: trackId,
        Name: $"Synthetic {index}",
        Artists: [$"Artist {index % 250_000}"],
        Album: $"Album {index % 1_000_000}",
        Genre: Genres[index % Genres.Length],
        Popularity: random.Next(0, 101),
        Explicit: random.Next(10) == 0,
        DurationMs: random.Next(60_000, 600_000),
        Features:
        [
            random.NextDouble(), random.NextDouble(), random.Next(-1, 12), -60 * random.NextDouble(), random.Next(0, 2),
            random.NextDouble() * 0.5, random.NextDouble(), random.NextDouble() * random.NextDouble(), random.NextDouble() * 0.8,
            random.NextDouble(), 60 + 140 * random.NextDouble(), random.Next(3, 6),
        ]);
}
