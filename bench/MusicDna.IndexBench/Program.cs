using MusicDna.IndexBench;

// dotnet bench/MusicDna.IndexBench/bin/Release/net10.0/MusicDna.IndexBench.dll run --count 1000000 --csv ../shared/data/spotify_tracks.csv
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

switch (options.Mode)
{
    case "run":
        await RunBench.RunAsync(options).ConfigureAwait(false);
        return 0;
    case "sweep":
        await SweepBench.RunAsync(options).ConfigureAwait(false);
        return 0;
    case "filter":
        await FilterBench.RunAsync(options).ConfigureAwait(false);
        return 0;
    case "dump":
        await DumpBench.RunAsync(options).ConfigureAwait(false);
        return 0;
    case "load":
        LoadBench.Run(options);
        return 0;
    case "saved":
        SavedIndexBench.Run(options);
        return 0;
    default:
        Console.Error.WriteLine(BenchOptions.Usage);
        return 2;
}
