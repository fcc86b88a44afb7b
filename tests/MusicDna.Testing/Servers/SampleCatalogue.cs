using MusicDna.Core.Tracks;
using MusicDna.Server.Grpc.Mapping;
using Contract = MusicDna.Contracts.V1;

namespace MusicDna.Testing;

/// <summary>The sample catalogue that ships with the server (seed/), read once, as contract tracks.</summary>
public static class SampleCatalogue
{
    private static readonly Lazy<IReadOnlyList<Contract.Track>> Tracks = new(Load);

    public static IReadOnlyList<Contract.Track> All => Tracks.Value;

    /// <summary>A slice that still spans many genres: every n-th track of the sample.</summary>
    public static IReadOnlyList<Contract.Track> Slice(int count) =>
        [.. All.Where((_, i) => i % Math.Max(1, All.Count / count) == 0).Take(count)];

    private static List<Contract.Track> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "seed", "spotify_tracks_sample.csv");
        using var stream = File.OpenRead(path);
        var tracks = new List<Contract.Track>();
        var rows = SpotifyCsvReader.ReadAsync(stream).ToBlockingEnumerable();
        foreach (var row in rows)
        {
            tracks.Add(TrackMapper.ToContract(row.Track ?? throw new InvalidDataException($"sample row {row.RowNumber}: {row.Error}")));
        }

        return tracks;
    }
}
