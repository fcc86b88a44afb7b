using MusicDna.Core.Tracks;
using MusicDna.Evaluation;

namespace MusicDna.Evaluation.Tests;

public sealed class SongFeedsTests
{
    [Fact]
    public void Versions_of_the_query_and_of_a_neighbour_make_the_plain_feed_repeat_and_the_collapsed_one_not()
    {
        // Query q at angle 0 with a remaster at 0; a neighbour song in two versions at 5° (popular) and 6°; others further.
        var (data, rows) = Catalogue(
            ("q", "Song Q", 0, 50, "rock"),
            ("q-remaster", "Song Q - 2011 Remaster", 0, 90, "rock"),
            ("n-album", "Song N", 6, 80, "jazz"),
            ("n-live", "Song N - Live", 5, 10, "rock"),
            ("a", "Song A", 10, 0, "rock"),
            ("b", "Song B", 20, 0, "rock"),
            ("c", "Song C", 30, 0, "jazz"));

        var result = SongFeeds.Measure(rows, 2, data, [0], k: 3);

        // Off: q-remaster, n-live, n-album: the query's song and a repeat. On: N (shown as n-album, jazz), A, B.
        Assert.Equal(1, result.RepeatedSongShareOff);
        Assert.Equal(0, result.RepeatedSongShareOn);
        Assert.Equal(2.0 / 3.0, result.SongAgreement, 12);
    }

    [Fact]
    public void A_catalogue_of_distinct_songs_repeats_nothing_either_way()
    {
        var (data, rows) = Catalogue(("a", "A", 0, 0, "g"), ("b", "B", 10, 0, "g"), ("c", "C", 20, 0, "h"), ("d", "D", 30, 0, "g"));

        var result = SongFeeds.Measure(rows, 2, data, [0, 1, 2, 3], k: 2);

        Assert.Equal((0.0, 0.0), (result.RepeatedSongShareOff, result.RepeatedSongShareOn));
    }

    [Fact]
    public void A_song_with_more_versions_than_the_first_search_depth_still_leaves_k_songs()
    {
        var tracks = new List<(string, string, double, int, string)> { ("q", "Q", 0, 0, "g") };
        tracks.AddRange(Enumerable.Range(0, 150).Select(i => ($"v{i}", "Many - Live", 1.0, i, "g")));
        tracks.AddRange(Enumerable.Range(0, 5).Select(i => ($"o{i}", $"Other {i}", 10.0 + i, 0, "h")));
        var (data, rows) = Catalogue([.. tracks]);

        var result = SongFeeds.Measure(rows, 2, data, [0], k: 4);

        Assert.Equal(1, result.RepeatedSongShareOff);
        Assert.Equal(0, result.RepeatedSongShareOn);
        Assert.Equal(1.0 / 4.0, result.SongAgreement, 12); // "Many" (g), then three others (h)
    }

    [Fact]
    public void The_dataset_numbers_songs_by_the_catalogues_song_key()
    {
        var (data, _) = Catalogue(("a", "Lithium", 0, 0, "g"), ("b", "Lithium - Remastered 2011", 1, 0, "g"), ("c", "Polly", 2, 0, "g"));

        Assert.Equal(2, data.SongCount);
        Assert.Equal(data.Songs[0], data.Songs[1]);
        Assert.NotEqual(data.Songs[0], data.Songs[2]);
    }

    /// <summary>Tracks by one artist at angles (degrees) in the plane, with their popularity and genre.</summary>
    private static (EvaluationDataset Data, float[] Rows) Catalogue(params (string Id, string Name, double Degrees, int Popularity, string Genre)[] tracks)
    {
        var list = tracks.Select(t => new Track(t.Id, t.Name, ["Artist"], "", t.Genre, t.Popularity, false, 0, new double[12])).ToList();
        var rows = tracks.SelectMany(t => new[] { (float)Math.Cos(t.Degrees * Math.PI / 180), (float)Math.Sin(t.Degrees * Math.PI / 180) }).ToArray();
        return (EvaluationDataset.FromTracks(list, list.Count, 0), rows);
    }
}
