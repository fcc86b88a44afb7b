using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using MusicDna.Client;
using MusicDna.Contracts.V1;
using MusicDna.Server.Grpc.Mapping;
using MusicDna.Core.Tracks;

namespace MusicDna.Cli.Commands;

/// <summary>
/// `musicdna ingest file.csv`: streams a Spotify-format CSV through BulkIngest. Rows the CSV reader cannot
/// parse are counted and reported here; rows the server refuses come back in its summary.
/// </summary>
internal static class IngestCommand
{
    private const int BatchSize = 2000;

    public static Command Create()
    {
        var csv = new Argument<FileInfo>("csv") { Description = "CSV in the Spotify Tracks dataset's format" };
        var command = new Command("ingest", "Load tracks from a CSV file into the catalogue (upsert by track id)") { csv };
        command.SetAction((parse, ct) => Run.GuardedAsync(async () =>
        {
            var file = parse.GetValue(csv)!;
            if (!file.Exists)
            {
                throw new FormatException($"{file.FullName} does not exist");
            }

            var bar = new ProgressBar();
            using var connection = Connection.Open(parse);
            await using var stream = file.OpenRead();
            long sent = 0, unreadable = 0;

            // Valid rows, counted and drawn a batch at a time as they are sent; unreadable rows are reported here.
            async IAsyncEnumerable<Contracts.V1.Track> Tracks()
            {
                var inBatch = 0;
                await foreach (var row in SpotifyCsvReader.ReadAsync(stream, ct))
                {
                    if (row.Track is not { } track)
                    {
                        if (unreadable++ < 10)
                        {
                            await Console.Error.WriteLineAsync($"row {row.RowNumber}: {row.Error!.Field}: {row.Error.Reason}");
                        }

                        continue;
                    }

                    yield return track.ToContract();
                    sent++;
                    if (++inBatch == BatchSize)
                    {
                        inBatch = 0;
                        bar.Draw((double)stream.Position / Math.Max(1, stream.Length), sent);
                    }
                }

                bar.Draw(1, sent, force: true);
            }

            var summary = await connection.Client.IngestAsync(Tracks(), BatchSize, ct);
            var seconds = bar.Elapsed.TotalSeconds;
            bar.Finish();
            if (parse.GetValue(CliOptions.Json))
            {
                // The server's summary as proto3 JSON, plus what only the client knows.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"summary\":{JsonFormatter.Default.Format(summary)},\"unreadableRows\":{unreadable},\"seconds\":{seconds:F3},\"rowsPerSecond\":{summary.Received / seconds:F0}}}"));
                return ExitCodes.Ok;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"received {summary.Received:N0}, inserted {summary.Inserted:N0}, updated {summary.Updated:N0}, rejected {summary.Rejected:N0} by the server, {unreadable:N0} unreadable in the file; {seconds:F1}s ({summary.Received / seconds:N0} rows/s), model {summary.ModelVersion}"));
            foreach (var rejection in summary.Rejections.Take(10))
            {
                Console.WriteLine($"  row {rejection.RowNumber} ({rejection.TrackId}): {rejection.Field}: {rejection.Reason}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
