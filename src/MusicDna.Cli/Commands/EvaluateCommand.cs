using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MusicDna.Evaluation;
using MusicDna.Model;

namespace MusicDna.Cli.Commands;

/// <summary>
/// `musicdna evaluate --data tracks.csv`: measures model quality locally (no server): PCA, a simple and the deep
/// autoencoder on a seeded held-out split; prints the table and writes it as Markdown and JSON with a PNG map.
/// The model options default to what Train serves; set them to try another configuration.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var served = new TrainingOptions();
        var shape = new AutoencoderConfig();
        var data = new Option<FileInfo>("--data") { Description = "CSV in the Spotify Tracks dataset's format", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for evaluation.md, evaluation.json and latent-map.png", DefaultValueFactory = _ => new DirectoryInfo("evaluation") };
        var seed = new Option<int>("--seed") { Description = "Seed for the split, samples, queries and models", DefaultValueFactory = _ => 42 };
        var sample = new Option<int>("--sample-size") { Description = "Rows of the seeded sample for the exact silhouette", DefaultValueFactory = _ => 10_000 };
        var queries = new Option<int>("--queries") { Description = "Seeded query tracks for genre agreement", DefaultValueFactory = _ => 2_000 };
        var hidden = new Option<string>("--hidden") { Description = "Deep autoencoder's hidden widths, e.g. 128,64", DefaultValueFactory = _ => string.Join(',', shape.HiddenSizes) };
        var epochs = new Option<int>("--epochs") { Description = "Most epochs", DefaultValueFactory = _ => served.Epochs };
        var batch = new Option<int>("--batch-size") { Description = "Rows per step", DefaultValueFactory = _ => served.BatchSize };
        var rate = new Option<double>("--learning-rate") { Description = "Adam learning rate", DefaultValueFactory = _ => served.LearningRate };
        var patience = new Option<int>("--patience") { Description = "Early-stopping patience in epochs (0 = off)", DefaultValueFactory = _ => served.EarlyStoppingPatience };
        var schedule = new Option<LearningRateSchedule>("--schedule") { Description = "Learning-rate schedule", DefaultValueFactory = _ => served.Schedule };
        var genreWeight = new Option<double>("--genre-weight") { Description = "Weight of the genre term (0 = pure autoencoder)", DefaultValueFactory = _ => served.GenreWeight };
        var temperature = new Option<double>("--genre-temperature") { Description = "Softmax temperature of the contrastive genre term (lower draws genres tighter)", DefaultValueFactory = _ => served.GenreTemperature };
        var compare = new Option<double>("--compare-genre-weight") { Description = "Also train the deep autoencoder with this genre weight when the served one is pure (0 = skip)", DefaultValueFactory = _ => new EvaluationOptions().ComparisonGenreWeight };
        var command = new Command("evaluate", "Measure model quality on a CSV, locally: reconstruction, clusters, genre neighbourhoods, cold start")
        {
            data, output, seed, sample, queries, hidden, epochs, batch, rate, patience, schedule, genreWeight, temperature, compare,
        };
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(data)!;
            if (!file.Exists)
            {
                await Console.Error.WriteLineAsync($"error: {file.FullName} does not exist");
                return ExitCodes.Usage;
            }

            var options = new EvaluationOptions
            {
                Seed = parse.GetValue(seed),
                SilhouetteSampleSize = parse.GetValue(sample),
                Queries = parse.GetValue(queries),
                ComparisonGenreWeight = parse.GetValue(compare),
                Served = shape with { HiddenSizes = ParseWidths(parse.GetValue(hidden)!) },
                ServedTraining = served with
                {
                    Seed = parse.GetValue(seed),
                    Epochs = parse.GetValue(epochs),
                    BatchSize = parse.GetValue(batch),
                    LearningRate = parse.GetValue(rate),
                    EarlyStoppingPatience = parse.GetValue(patience),
                    Schedule = parse.GetValue(schedule),
                    GenreWeight = parse.GetValue(genreWeight),
                    GenreTemperature = parse.GetValue(temperature),
                },
            };

            EvaluationDataset dataset;
            await using (var stream = file.OpenRead())
            {
                dataset = await EvaluationDataset.LoadAsync(stream, ct);
            }

            var progress = new Progress<string>(line => Console.Error.WriteLine(line));
            var result = await Task.Run(() => new EvaluationRunner(progress).Run(dataset, options, ct), ct);
            var folder = parse.GetValue(output)!;
            folder.Create();
            var markdown = result.Report.ToMarkdown();
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "evaluation.md"), markdown, ct);
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "evaluation.json"), result.Report.ToJson(), ct);
            LatentMapImage.SavePng(result.Map, Path.Combine(folder.FullName, "latent-map.png"));
            if (parse.GetValue(CliOptions.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(JsonDocument.Parse(result.Report.ToJson()).RootElement));
                return ExitCodes.Ok;
            }

            Console.WriteLine(markdown);
            Console.WriteLine($"Written to {folder.FullName}: evaluation.md, evaluation.json, latent-map.png");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int[] ParseWidths(string text) =>
        text.Trim().Length == 0
            ? []
            : [.. text.Split(',', StringSplitOptions.TrimEntries).Select(w => int.Parse(w, CultureInfo.InvariantCulture))];
}
