using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using MusicDna.Contracts.V1;

namespace MusicDna.Cli.Commands;

/// <summary>`musicdna train`: fit a new model on the server's catalogue, with live epoch progress.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var epochs = new Option<int>("--epochs") { Description = "Most epochs (server default when omitted)" };
        var batch = new Option<int>("--batch-size") { Description = "Rows per step (server default when omitted)" };
        var seed = new Option<int?>("--seed") { Description = "Seed for a reproducible model" };
        var cuda = new Option<bool>("--cuda") { Description = "Train on the server's CUDA GPU" };
        var genreWeight = new Option<double?>("--genre-weight") { Description = "Weight of the genre term (0 = pure autoencoder; server default when omitted)" };
        var command = new Command("train", "Train and publish a new model; Ctrl+C cancels and publishes nothing") { epochs, batch, seed, cuda, genreWeight };
        command.SetAction((parse, ct) => Run.GuardedAsync(async () =>
        {
            var request = new TrainRequest
            {
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                Device = parse.GetValue(cuda) ? Device.Cuda : Device.Cpu,
            };
            if (parse.GetValue(seed) is { } s)
            {
                request.Seed = s;
            }

            if (parse.GetValue(genreWeight) is { } w)
            {
                request.GenreWeight = w;
            }

            using var connection = Connection.Open(parse);
            var asJson = parse.GetValue(CliOptions.Json);
            await foreach (var message in connection.Client.TrainAsync(request, ct))
            {
                if (asJson)
                {
                    Console.WriteLine(JsonFormatter.Default.Format(message));
                }
                else if (message.Progress is { } p)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"epoch {p.Epoch,4}/{p.Epochs}  train {p.TrainLoss:F5}  validation {p.ValidationLoss:F5}  {p.Elapsed.ToTimeSpan().TotalSeconds,6:F1}s"));
                }
                else if (message.Model is { } m)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"model {m.ModelVersion} published: test MSE {m.TestMse:F5}, {m.RowsUsed} training rows, {m.TracksIndexed} tracks indexed, {m.EpochsRun} epochs, {m.Duration.ToTimeSpan().TotalSeconds:F1}s"));
                }
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
