using System.Diagnostics;
using MusicDna.Core.Tracks;
using MusicDna.PostgreSql;

namespace MusicDna.BenchDriver;

/// <summary>
/// Writes synthetic tracks straight into a PostgreSQL catalogue through its bulk path (binary COPY + one set-based
/// upsert per batch), for start-up figures at catalogue sizes the dataset cannot reach. --tracks N, --batch (50,000),
/// --start (the first index, so a catalogue can be filled in steps), --seed.
/// </summary>
internal static class GenerateBench
{
    public static async Task<int> RunAsync(BenchArguments arguments, CancellationToken ct)
    {
        var total = long.Parse(arguments.Get("tracks"), System.Globalization.CultureInfo.InvariantCulture);
        var batchSize = arguments.GetInt("batch", 50_000);
        var start = long.Parse(arguments.Get("start", "0"), System.Globalization.CultureInfo.InvariantCulture);
        var random = new Random(arguments.GetInt("seed", 1) + (int)(start % int.MaxValue));
        using var database = await PostgresDatabase.OpenAsync(arguments.Get("connection"), TimeSpan.FromSeconds(30), cancellationToken: ct);
        var catalogue = new PostgresTrackCatalogue(database);
        var clock = Stopwatch.StartNew();
        var batch = new List<Track>(batchSize);
        for (var i = start; i < start + total; i++)
        {
            batch.Add(SyntheticCatalogue.Make(random, $"synthetic-{i:D10}", i));
            if (batch.Count == batchSize || i == start + total - 1)
            {
                await catalogue.UpsertAsync(batch, ct);
                batch.Clear();
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return BenchResult.Print(new Dictionary<string, object>
        {
            ["tracks"] = total,
            ["batch"] = batchSize,
            ["seconds"] = seconds,
            ["rows_per_s"] = total / seconds,
            ["catalogue"] = await catalogue.CountAsync(ct),
        });
    }
}
