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
            var parsed = FeatureArgument.Parse(parse.GetValue(features)!);
            using var connection = Connection.Open(parse);
            var response = await connection.Client.EmbedAsync([parsed], ct);
            Console.WriteLine(JsonFormatter.Default.Format(response));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
