using System.Text.Json;
using MusicDna.PostgreSql;
using Npgsql;

namespace MusicDna.BenchDriver;

/// <summary>
/// What SearchTracks costs on a PostgreSQL catalogue: for each query in --queries ("word word|word|…"), the plan and
/// execution time of the exact statement the catalogue runs (EXPLAIN ANALYZE), once as PostgreSQL plans it (on the
/// trigram indexes of schema version 3) and once with index scans switched off (the table scan of version 2), each
/// after one unmeasured run, and whether both give the same rows in the same order.
/// </summary>
internal static class SearchPlanBench
{
    private const int Rows = 51; // the engine's largest page (50) and one to tell it is cut

    public static async Task<int> RunAsync(BenchArguments arguments, CancellationToken ct)
    {
        var queries = arguments.Get("queries").Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        await using var connection = new NpgsqlConnection(arguments.Get("connection"));
        await connection.OpenAsync(ct);
        var results = new List<Dictionary<string, object>>();
        foreach (var query in queries)
        {
            var words = query.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var indexed = await MeasureAsync(connection, words, ct);
            await ExecuteAsync(connection, "SET enable_bitmapscan = off; SET enable_indexscan = off;", ct);
            var scanned = await MeasureAsync(connection, words, ct);
            await ExecuteAsync(connection, "RESET enable_bitmapscan; RESET enable_indexscan;", ct);
            results.Add(new Dictionary<string, object>
            {
                ["query"] = query,
                ["rows"] = indexed.Ids.Count,
                ["same_rows"] = indexed.Ids.SequenceEqual(scanned.Ids),
                ["indexed_ms"] = indexed.Milliseconds,
                ["indexed_plan"] = indexed.Nodes,
                ["scan_ms"] = scanned.Milliseconds,
                ["scan_plan"] = scanned.Nodes,
            });
        }

        return BenchResult.Print(new Dictionary<string, object> { ["queries"] = results });
    }

    private static async Task<(List<string> Ids, double Milliseconds, string Nodes)> MeasureAsync(
        NpgsqlConnection connection, string[] words, CancellationToken ct)
    {
        var ids = new List<string>();
        await using (var command = PostgresTrackCatalogue.SearchCommand(connection, words, Rows))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            var trackId = reader.GetOrdinal("track_id");
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetString(trackId));
            }
        }

        await using var explain = PostgresTrackCatalogue.SearchCommand(connection, words, Rows);
        explain.CommandText = "EXPLAIN (ANALYZE, FORMAT JSON) " + explain.CommandText;
        using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync(ct))!);
        var root = plan.RootElement[0];
        var nodes = new List<string>();
        Collect(root.GetProperty("Plan"), nodes);
        return (ids, root.GetProperty("Execution Time").GetDouble(), string.Join(" > ", nodes));
    }

    // The plan's nodes, depth first, with the index each index node reads.
    private static void Collect(JsonElement node, List<string> nodes)
    {
        var type = node.GetProperty("Node Type").GetString()!;
        nodes.Add(node.TryGetProperty("Index Name", out var index) ? $"{type} ({index.GetString()})" : type);
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Collect(child, nodes);
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
