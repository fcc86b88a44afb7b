namespace MusicDna.IndexBench;

/// <summary>Writes the workload for src/MusicDna.Index/native/tools/ann_compare.cpp: int32 count, dimension and
/// query count, then the catalogue's rows and the queries' rows as float32 (already normalised).</summary>
internal static class DumpBench
{
    public static async Task RunAsync(BenchOptions options)
    {
        var workload = await Workload.CreateAsync(options).ConfigureAwait(false);
        var path = options.IndexFile ?? Path.Combine(options.OutputDirectory, $"dataset-{workload.Count}.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var stream = File.Create(path);
        await using var writer = new BinaryWriter(stream);
        writer.Write(workload.Count);
        writer.Write(workload.Dimension);
        writer.Write(workload.QueryCount);
        foreach (var value in workload.Vectors)
        {
            writer.Write(value);
        }

        foreach (var value in workload.Queries)
        {
            writer.Write(value);
        }

        Console.WriteLine($"{path}: {workload.Count:N0} vectors {workload.Description}, {workload.QueryCount:N0} queries");
    }
}
