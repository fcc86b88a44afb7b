using MusicDna.Core.Tracks;
using MusicDna.Evaluation;
using MusicDna.Model;

namespace MusicDna.Evaluation.Tests;

public sealed class EvaluationRunnerTests
{
    [Fact]
    public void A_small_catalogue_gets_every_row_of_the_table_and_a_png_map()
    {
        var data = EvaluationDataset.FromTracks(Tracks(400), 400, 0);
        var options = new EvaluationOptions
        {
            SilhouetteSampleSize = 200,
            Queries = 50,
            MapSampleSize = 200,
            MapGenres = 3,
            ServedTraining = new TrainingOptions(Epochs: 3, BatchSize: 64, GenreWeight: 0.01),
        };

        var result = new EvaluationRunner().Run(data, options, CancellationToken.None);

        var report = result.Report;
        Assert.Equal(320, report.TrainTracks);
        Assert.Equal(80, report.HeldOutTracks);
        Assert.Equal(5, report.Methods.Count);
        Assert.Equal("raw scaled features", report.Methods[0].Method);
        Assert.Null(report.Methods[0].HeldOutMse);
        Assert.All(report.Methods.Skip(1), m => Assert.Equal([5, 10, 20], m.Silhouettes.Keys.Order()));
        Assert.All(report.Methods, m => Assert.InRange(m.GenreAgreement, 0, 1));
        Assert.Equal(report.Methods[^1].Method, report.ServedMethod);
        Assert.Contains("| method |", report.ToMarkdown(), StringComparison.Ordinal);
        Assert.Contains("\"methods\"", report.ToJson(), StringComparison.Ordinal);
        Assert.Equal(3, result.Map.GenreNames.Count);
        Assert.Equal(200, result.Map.Points.Count);

        var png = Path.Combine(Path.GetTempPath(), $"musicdna-map-{Guid.NewGuid():N}.png");
        try
        {
            LatentMapImage.SavePng(result.Map, png, 400, 300);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);
        }
        finally
        {
            File.Delete(png);
        }
    }

    [Fact]
    public void A_pure_served_model_is_named_as_served_and_the_genre_variant_is_still_reported_beside_it()
    {
        var data = EvaluationDataset.FromTracks(Tracks(200), 200, 0);
        var options = new EvaluationOptions
        {
            SilhouetteSampleSize = 100,
            ClusterCounts = [5],
            Queries = 20,
            MapSampleSize = 50,
            ServedTraining = new TrainingOptions(Epochs: 2, BatchSize: 64),
            ComparisonGenreWeight = 0.05,
        };

        var report = new EvaluationRunner().Run(data, options, CancellationToken.None).Report;

        Assert.Equal(5, report.Methods.Count);
        Assert.EndsWith("reconstruction only", report.ServedMethod, StringComparison.Ordinal);
        Assert.Contains("genre term", report.Methods[^1].Method, StringComparison.Ordinal);
    }

    // Five genres, each a different region of the feature space plus noise, all within the validator's ranges.
    private static List<Track> Tracks(int count)
    {
        var random = new Random(9);
        var tracks = new List<Track>();
        for (var i = 0; i < count; i++)
        {
            var genre = i % 5;
            double Around(double centre, double spread) => Math.Clamp(centre + ((random.NextDouble() - 0.5) * spread), 0, 1);
            double[] features =
            [
                Around(0.2 * genre, 0.2), Around(1 - (0.2 * genre), 0.2), random.Next(12), -30 + (5 * genre) + random.NextDouble(),
                genre % 2, Around(0.1, 0.1), Around(0.15 * genre, 0.2), Around(genre == 4 ? 0.9 : 0.05, 0.1),
                Around(0.2, 0.2), Around(0.5, 0.5), 80 + (20 * genre) + (random.NextDouble() * 10), genre == 3 ? 3 : 4,
            ];
            tracks.Add(new Track($"t{i}", $"n{i}", ["a"], "al", $"genre{genre}", 10, false, 1000, features));
        }

        return tracks;
    }
}
