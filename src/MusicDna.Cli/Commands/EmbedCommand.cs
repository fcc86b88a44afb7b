using System.CommandLine;
using Google.Protobuf;
using MusicDna.Contracts.V1;

namespace MusicDna.Cli.Commands;

/// <summary>`musicdna embed`: the latent vector of raw features under the serving model.</summary>
internal static class EmbedCommand
{
    public static Command Create()
    {
        var features = new Option<string>("--features") { Description = FeatureArgument.Help, Required = true };
        var command = new Command("embed", "Print the latent vector (sonic DNA) of a track's features as JSON") { features };
        command.SetAction((parse, ct) => Run.GuardedAsync(async () =>
        {
            using var channel = CliOptions.Channel(parse);
            var request = new EmbedRequest { Features = { FeatureArgument.Parse(parse.GetValue(features)!) } };
            var response = await CliOptions.Client(channel).EmbedAsync(request, cancellationToken: ct);
            Console.WriteLine(JsonFormatter.Default.Format(response));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
