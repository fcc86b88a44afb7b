using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Cli.Commands;

/// <summary>`musicdna recommend`: similar tracks to a catalogue track or to raw features, as a table or JSON lines.</summary>
internal static class RecommendCommand
{
    public static Command Create()
    {
        var trackId = new Option<string?>("--track-id") { Description = "Seed: a catalogue track id" };
        var features = new Option<string?>("--features") { Description = "Seed: " + FeatureArgument.Help };
        var k = new Option<int>("--k", "-k") { Description = "How many tracks (1-1000)", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "One JSON object per line instead of a table" };
        var command = new Command("recommend", "Stream the tracks most similar to a seed") { trackId, features, k, json };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(trackId) is null) == (result.GetValue(features) is null))
            {
                result.AddError("give exactly one seed: --track-id or --features");
            }
        });

        command.SetAction((parse, ct) => Run.GuardedAsync(async () =>
        {
            var request = new RecommendRequest { K = parse.GetValue(k) };
            if (parse.GetValue(trackId) is { } id)
            {
                request.TrackId = id;
            }
            else
            {
                request.Features = FeatureArgument.Parse(parse.GetValue(features)!);
            }

            using var channel = CliOptions.Channel(parse);
            using var call = CliOptions.Client(channel).Recommend(request, cancellationToken: ct);
            var asJson = parse.GetValue(json);
            var headerShown = asJson; // the header waits for the first row, so an error prints alone
            await foreach (var message in call.ResponseStream.ReadAllAsync(ct))
            {
                if (asJson)
                {
                    Console.WriteLine(JsonFormatter.Default.Format(message));
                }
                else if (message.Recommendation is { } r)
                {
                    if (!headerShown)
                    {
                        Console.WriteLine($"{"#",3}  {"score",6}  {"track_id",-22}  {"genre",-14}  {"pop",3}  title — artists");
                        headerShown = true;
                    }

                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{r.Rank,3}  {r.Score,6:F4}  {r.Track.TrackId,-22}  {Truncate(r.Track.Genre, 14),-14}  {r.Track.Popularity,3}  {r.Track.Name} — {string.Join(", ", r.Track.Artists)}"));
                }
                else if (message.End is { } end)
                {
                    Console.WriteLine($"({end.Returned} tracks, model {end.ModelVersion})");
                }
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Truncate(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
