using MusicDna.Core.Features;
using MusicDna.Core.Tracks;

namespace MusicDna.Evaluation;

/// <summary>
/// A tracks CSV as the catalogue would hold it: one row per <c>track_id</c>, the last row of a repeated id winning
/// (genre included), in order of first appearance; rows the catalogue would reject are skipped and counted.
/// Genres and songs (<see cref="SongKey"/>, as the catalogue keys them) are numbered in order of first appearance.
/// </summary>
public sealed class EvaluationDataset
{
    private EvaluationDataset(
        IReadOnlyList<double[]> features, IReadOnlyList<int> genres, IReadOnlyList<string> genreNames, IReadOnlyList<int> songs,
        IReadOnlyList<int> popularity, int rowsRead, int rowsRejected)
    {
        Features = features;
        Genres = genres;
        GenreNames = genreNames;
        Songs = songs;
        Popularity = popularity;
        RowsRead = rowsRead;
        RowsRejected = rowsRejected;
    }

    /// <summary>Raw features per track, in <see cref="FeatureSchema"/> order.</summary>
    public IReadOnlyList<double[]> Features { get; }

    /// <summary>Each track's genre number, an index into <see cref="GenreNames"/>.</summary>
    public IReadOnlyList<int> Genres { get; }

    public IReadOnlyList<string> GenreNames { get; }

    /// <summary>Each track's song number: tracks with one number are versions of one song.</summary>
    public IReadOnlyList<int> Songs { get; }

    /// <summary>Distinct songs.</summary>
    public int SongCount => Songs.Count == 0 ? 0 : Songs.Max() + 1;

    /// <summary>Each track's popularity, 0 to 100 (which version of a song a feed shows).</summary>
    public IReadOnlyList<int> Popularity { get; }

    public int Count => Features.Count;

    public int RowsRead { get; }

    public int RowsRejected { get; }

    public static async Task<EvaluationDataset> LoadAsync(Stream csv, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var tracks = new List<Track>();
        var positionById = new Dictionary<string, int>(StringComparer.Ordinal);
        var read = 0;
        var rejected = 0;
        await foreach (var row in SpotifyCsvReader.ReadAsync(csv, cancellationToken).ConfigureAwait(false))
        {
            read++;
            if (row.Track is not { } track)
            {
                rejected++;
                continue;
            }

            if (positionById.TryGetValue(track.TrackId, out var position))
            {
                tracks[position] = track;
            }
            else
            {
                positionById.Add(track.TrackId, tracks.Count);
                tracks.Add(track);
            }
        }

        return FromTracks(tracks, read, rejected);
    }

    /// <summary>Tracks already de-duplicated (for callers holding a catalogue, and for tests).</summary>
    public static EvaluationDataset FromTracks(IReadOnlyList<Track> tracks, int rowsRead, int rowsRejected)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        var genreByName = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var genres = new int[tracks.Count];
        var songByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        var songs = new int[tracks.Count];
        for (var i = 0; i < tracks.Count; i++)
        {
            if (!genreByName.TryGetValue(tracks[i].Genre, out var genre))
            {
                genre = names.Count;
                genreByName.Add(tracks[i].Genre, genre);
                names.Add(tracks[i].Genre);
            }

            genres[i] = genre;
            var key = SongKey.Of(tracks[i]);
            if (!songByKey.TryGetValue(key, out var song))
            {
                song = songByKey.Count;
                songByKey.Add(key, song);
            }

            songs[i] = song;
        }

        return new EvaluationDataset(
            [.. tracks.Select(t => t.Features)], genres, names, songs, [.. tracks.Select(t => t.Popularity)], rowsRead, rowsRejected);
    }
}
