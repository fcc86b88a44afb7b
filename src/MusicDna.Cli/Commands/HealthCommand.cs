using System.CommandLine;
using Google.Protobuf;
using Grpc.Health.V1;

namespace MusicDna.Cli.Commands;

/// <summary>`musicdna health`: whether a model serves (exit 0) or not yet (exit 1).</summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var command = new Command("health", "Check whether the server has a model serving");
        command.SetAction((parse, ct) => Run.GuardedAsync(async () =>
        {
            using var connection = Connection.Open(parse);
            var response = await new Health.HealthClient(connection.HealthChannel)
                .CheckAsync(new HealthCheckRequest { Service = "musicdna.v1.MusicDnaService" }, cancellationToken: ct);
            Console.WriteLine(parse.GetValue(CliOptions.Json) ? JsonFormatter.Default.Format(response) : response.Status.ToString());
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving ? ExitCodes.Ok : ExitCodes.CallFailed;
        }));
        return command;
    }
}
