using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using MusicDna.Contracts.V1;

namespace MusicDna.Cli.Commands;

/// <summary>`musicdna order`: a playlist reordered for flow, with its path length before and after and a lower bound.</summary>
internal static class OrderCommand
{
    public static Command Create()
    {
        var ids = new Argument<string[]>("track-ids") { Description = "The playlist's track ids, 2 to 500, in their current order" };
        var file = new Option<string?>("--file") { Description = "Read the track ids from this file, one a line (after any given as arguments)" };
        var keyCompatible = new Option<bool>("--key-compatible") { Description = "Steps between Camelot-incompatible keys cost extra" };
        var tempoNear = new Option<bool>("--tempo-near") { Description = "Tempo jumps cost extra (half and double time count as near)" };
        var arc = new Option<string?>("--arc") { Description = "Energy arc: rising, falling or peak" };
        arc.AcceptOnlyFromAmong("rising", "falling", "peak");
        var arcWeight = new Option<double>("--arc-weight") { Description = "How strongly the arc counts, (0, 10] (default 1)" };
        var command = new Command("order", "Reorder a playlist so each step is small in the sonic space") { ids, file, keyCompatible, tempoNear, arc, arcWeight };
        command.SetAction((parse, ct) => Run.GuardedAsync(async () =>
        {
            var request = new OrderPlaylistRequest
            {
                TrackIds = { parse.GetValue(ids) ?? [] },
                KeyCompatible = parse.GetValue(keyCompatible),
                TempoNear = parse.GetValue(tempoNear),
                EnergyArc = parse.GetValue(arc) switch
                {
                    "rising" => EnergyArc.Rising,
                    "falling" => EnergyArc.Falling,
                    "peak" => EnergyArc.Peak,
                    _ => EnergyArc.Unspecified,
                },
                ArcWeight = parse.GetValue(arcWeight),
            };
            if (parse.GetValue(file) is { } path)
            {
                request.TrackIds.AddRange((await File.ReadAllLinesAsync(path, ct)).Select(l => l.Trim()).Where(l => l.Length > 0));
            }

            using var connection = Connection.Open(parse);
            var response = await connection.Client.OrderPlaylistAsync(request, ct);
            if (parse.GetValue(CliOptions.Json))
            {
                Console.WriteLine(JsonFormatter.Default.Format(response));
                return ExitCodes.Ok;
            }

            for (var i = 0; i < response.Tracks.Count; i++)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i + 1,3}  {TrackLine.Title(response.Tracks[i])}"));
                Console.WriteLine("       " + TrackLine.Features(response.Tracks[i]));
            }

            var gap = response.LowerBound > 0 ? (response.PathLengthAfter / response.LowerBound) - 1 : 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"(path {response.PathLengthBefore:F3} → {response.PathLengthAfter:F3} rad; lower bound {response.LowerBound:F3}, at most {gap:P0} above it; cost {response.CostBefore:F3} → {response.CostAfter:F3}; {response.KeyClashes} key clashes; model {response.ModelVersion})"));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
