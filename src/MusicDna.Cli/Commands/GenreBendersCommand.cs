using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using MusicDna.Contracts.V1;

namespace MusicDna.Cli.Commands;

/// <summary>`musicdna genre-benders`: tracks whose latent neighbourhood spans several genres, most mixed first.</summary>
internal static class GenreBendersCommand
{
    public static Command Create()
    {
        var genre = new Option<string?>("--genre") { Description = "Only tracks of this genre are candidates" };
        var k = new Option<int>("--k", "-k") { Description = "How many tracks (1-1000)", DefaultValueFactory = _ => 10 };
        var neighbours = new Option<int>("--neighbours") { Description = "Neighbourhood size (2-200)", DefaultValueFactory = _ => 20 };
        var command = new Command("genre-benders", "List tracks whose neighbours span several genres") { genre, k, neighbours };
        command.SetAction((parse, ct) => Run.GuardedAsync(async () =>
        {
            using var connection = Connection.Open(parse);
            var response = await connection.Client.FindGenreBendersAsync(
                new FindGenreBendersRequest { Genre = parse.GetValue(genre) ?? "", K = parse.GetValue(k), Neighbours = parse.GetValue(neighbours) },
                ct);
            if (parse.GetValue(CliOptions.Json))
            {
                Console.WriteLine(JsonFormatter.Default.Format(response));
                return ExitCodes.Ok;
            }

            foreach (var b in response.Benders)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{b.Rank,3}  {b.Entropy,5:F3} bits  {b.Track.TrackId,-22}  {b.Track.Genre,-14}  {b.Track.Name} — {string.Join(", ", b.Track.Artists)}"));
                Console.WriteLine("     neighbours: " + string.Join(", ", b.NeighbourGenres.Select(g => $"{g.Genre} {g.Count}")));
            }

            Console.WriteLine($"({response.Benders.Count} tracks of {response.Candidates} scored, model {response.ModelVersion})");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
