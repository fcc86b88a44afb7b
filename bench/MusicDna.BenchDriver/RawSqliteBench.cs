using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MusicDna.Catalogue;
using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using SQLitePCL;

namespace MusicDna.BenchDriver;

/// <summary>
/// The storage ceiling for BulkIngest: the same rows upserted straight into a fresh catalogue file with one prepared
/// statement per row, on the product's own schema (created by <see cref="TrackCatalogue.Open"/>, so its search rows are
/// written by the same triggers) and durability (WAL, synchronous=FULL, a commit every 5,000 rows as BulkIngest does),
/// through SQLite's C API (values bound by position, as the product's upsert binds them). Each row stores the song key
/// the product stores (computed before the clock starts, as the rows are parsed). No gRPC, validation, or id lookups.
/// </summary>
internal static class RawSqliteBench
{
    private const int RowsPerCommit = 5000;

    public static async Task<int> RunAsync(BenchArguments arguments, CancellationToken ct)
    {
        var tracks = await CsvTracks.ReadAsync(arguments.Get("csv"), ct);
        var songIds = tracks.Select(SongKey.Of).ToArray();
        var path = arguments.Get("db");
        TrackCatalogue.Open(path).Dispose();

        string[] columns = ["track_id", "name", "artists", "album", "genre", "popularity", "explicit", "duration_ms", "song_id", .. FeatureSchema.Names, "updated_at"];
        var sql =
            $"INSERT INTO tracks ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(_ => "?"))}) " +
            $"ON CONFLICT (track_id) DO UPDATE SET {string.Join(", ", columns.Skip(1).Select(c => $"{c} = excluded.{c}"))};";

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

            var db = connection.Handle!;
            Check(raw.sqlite3_prepare_v2(db, sql, out var insert), db);
            using (insert)
            {
                var now = DateTimeOffset.UtcNow.ToString("O");
                for (var start = 0; start < tracks.Count; start += RowsPerCommit)
                {
                    using var transaction = connection.BeginTransaction();
                    for (var i = start; i < Math.Min(start + RowsPerCommit, tracks.Count); i++)
                    {
                        var track = tracks[i];
                        var index = 1;
                        Check(raw.sqlite3_bind_text(insert, index++, track.TrackId), db);
                        Check(raw.sqlite3_bind_text(insert, index++, track.Name), db);
                        Check(raw.sqlite3_bind_text(insert, index++, JsonSerializer.Serialize(track.Artists)), db);
                        Check(raw.sqlite3_bind_text(insert, index++, track.Album), db);
                        Check(raw.sqlite3_bind_text(insert, index++, track.Genre), db);
                        Check(raw.sqlite3_bind_int64(insert, index++, track.Popularity), db);
                        Check(raw.sqlite3_bind_int64(insert, index++, track.Explicit ? 1 : 0), db);
                        Check(raw.sqlite3_bind_int64(insert, index++, track.DurationMs), db);
                        Check(raw.sqlite3_bind_text(insert, index++, songIds[i]), db);
                        foreach (var value in track.Features)
                        {
                            Check(raw.sqlite3_bind_double(insert, index++, value), db);
                        }

                        Check(raw.sqlite3_bind_text(insert, index, now), db);
                        if (raw.sqlite3_step(insert) != raw.SQLITE_DONE)
                        {
                            Check(raw.sqlite3_reset(insert), db);
                        }

                        Check(raw.sqlite3_reset(insert), db);
                    }

                    transaction.Commit();
                }
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

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }
}
