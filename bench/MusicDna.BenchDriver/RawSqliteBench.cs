using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MusicDna.Catalogue;
using MusicDna.Core.Features;

namespace MusicDna.BenchDriver;

/// <summary>
/// The storage ceiling for BulkIngest: the same rows upserted straight into a fresh catalogue file with one prepared
/// statement, on the product's own schema (created by <see cref="TrackCatalogue.Open"/>) and durability (WAL,
/// synchronous=FULL, a commit every 5,000 rows as BulkIngest does). No gRPC, validation, or id lookups.
/// </summary>
internal static class RawSqliteBench
{
    private const int RowsPerCommit = 5000;

    private static readonly string[] TextParameters = ["$track_id", "$name", "$artists", "$album", "$genre", "$updated_at"];
    private static readonly string[] IntegerParameters = ["$popularity", "$explicit", "$duration_ms"];

    public static async Task<int> RunAsync(BenchArguments arguments, CancellationToken ct)
    {
        var tracks = await CsvTracks.ReadAsync(arguments.Get("csv"), ct);
        var path = arguments.Get("db");
        TrackCatalogue.Open(path).Dispose();

        var columns = string.Join(", ", FeatureSchema.Names);
        var parameters = string.Join(", ", FeatureSchema.Names.Select(n => "$" + n));
        string[] replaced = ["name", "artists", "album", "genre", "popularity", "explicit", "duration_ms", "updated_at", .. FeatureSchema.Names];

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
                pragma.ExecuteNonQuery();
            }

            using var insert = connection.CreateCommand();
            insert.CommandText =
                $"INSERT INTO tracks (track_id, name, artists, album, genre, popularity, explicit, duration_ms, {columns}, updated_at) " +
                $"VALUES ($track_id, $name, $artists, $album, $genre, $popularity, $explicit, $duration_ms, {parameters}, $updated_at) " +
                $"ON CONFLICT (track_id) DO UPDATE SET {string.Join(", ", replaced.Select(c => $"{c} = excluded.{c}"))};";
            var text = TextParameters.ToDictionary(n => n, n => insert.Parameters.Add(n, SqliteType.Text));
            var integers = IntegerParameters.ToDictionary(n => n, n => insert.Parameters.Add(n, SqliteType.Integer));
            var features = FeatureSchema.Names.Select(n => insert.Parameters.Add("$" + n, SqliteType.Real)).ToArray();
            var now = DateTimeOffset.UtcNow.ToString("O");

            for (var start = 0; start < tracks.Count; start += RowsPerCommit)
            {
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                for (var i = start; i < Math.Min(start + RowsPerCommit, tracks.Count); i++)
                {
                    var track = tracks[i];
                    text["$track_id"].Value = track.TrackId;
                    text["$name"].Value = track.Name;
                    text["$artists"].Value = JsonSerializer.Serialize(track.Artists);
                    text["$album"].Value = track.Album;
                    text["$genre"].Value = track.Genre;
                    text["$updated_at"].Value = now;
                    integers["$popularity"].Value = track.Popularity;
                    integers["$explicit"].Value = track.Explicit ? 1 : 0;
                    integers["$duration_ms"].Value = track.DurationMs;
                    for (var f = 0; f < features.Length; f++)
                    {
                        features[f].Value = track.Features[f];
                    }

                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        return BenchResult.Print(new Dictionary<string, object>
        {
            ["rows"] = tracks.Count,
            ["rows_per_commit"] = RowsPerCommit,
            ["seconds"] = seconds,
            ["rows_per_s"] = tracks.Count / seconds,
            ["cpu_s"] = cpuSeconds,
        });
    }
}
