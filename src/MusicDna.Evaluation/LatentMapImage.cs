using ScottPlot;

namespace MusicDna.Evaluation;

/// <summary>Draws a <see cref="LatentMap"/> as a PNG scatter plot, one colour per genre, with a legend.</summary>
public static class LatentMapImage
{
    public static void SavePng(LatentMap map, string path, int width = 1200, int height = 900)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var g = 0; g < map.GenreNames.Count; g++)
        {
            var points = map.Points.Where(p => p.Genre == g).ToList();
            var scatter = plot.Add.ScatterPoints(
                points.Select(p => (double)p.X).ToArray(), points.Select(p => (double)p.Y).ToArray(), palette.GetColor(g));
            scatter.MarkerSize = 4;
            scatter.LegendText = $"{map.GenreNames[g]} ({points.Count})";
        }

        plot.Title($"MusicDna sonic DNA: {map.Projection}");
        plot.XLabel("component 1");
        plot.YLabel("component 2");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, width, height);
    }
}
