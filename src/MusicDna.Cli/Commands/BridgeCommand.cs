using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using MusicDna.Contracts.V1;

namespace MusicDna.Cli.Commands;

/// <summary>`musicdna bridge`: real catalogue tracks leading from track A to track B, streamed as found.</summary>
internal static class BridgeCommand
{
    public static Command Create()
    {
        var from = new Argument<string>("from") { Description = "Track A's id" };
        var to = new Argument<string>("to") { Description = "Track B's id" };
        var steps = new Option<int>("--steps") { Description = "How many tracks between A and B (1-100)", DefaultValueFactory = _ => 5 };
        var command = new Command("bridge", "A segue from one track to another through real catalogue tracks") { from, to, steps };
        command.SetAction((parse, ct) => Run.GuardedAsync(async () =>
        {
            using var connection = Connection.Open(parse);
            var request = new BridgeRequest { FromTrackId = parse.GetValue(from)!, ToTrackId = parse.GetValue(to)!, Steps = parse.GetValue(steps) };
            var asJson = parse.GetValue(CliOptions.Json);
            await foreach (var message in connection.Client.BridgeAsync(request, ct))
            {
                if (asJson)
                {
                    Console.WriteLine(JsonFormatter.Default.Format(message));
                }
                else if (message.Step is { } s)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{s.Position,3}  A {s.ScoreToFrom,6:F3}  B {s.ScoreToTo,6:F3}  step {s.StepAngle:F3}  {TrackLine.Title(s.Track)}"));
                    Console.WriteLine("       " + TrackLine.Features(s.Track));
                }
                else if (message.End is { } end)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"({end.Returned} steps, path {end.PathLength:F3} rad against {end.DirectAngle:F3} straight from A to B, model {end.ModelVersion})"));
                }
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
