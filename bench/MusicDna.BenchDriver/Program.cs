using MusicDna.BenchDriver;

// One sub-command per measurement; each prints one JSON object on standard output for scripts/bench.sh.
var arguments = BenchArguments.Parse(args);
using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(90));
var ct = cancellation.Token;
return arguments.Command switch
{
    "ingest" => await IngestBench.RunAsync(arguments, ct),
    "raw-sqlite" => await RawSqliteBench.RunAsync(arguments, ct),
    "train" => await TrainBench.RunAsync(arguments, ct),
    "embed" => await EmbedBench.RunAsync(arguments, ct),
    "bodies" => await RequestBodies.RunAsync(arguments, ct),
    "check" => await RecommendCheck.RunAsync(arguments, ct),
    "start" => await StartupBench.RunAsync(arguments, ct),
    "generate" => await GenerateBench.RunAsync(arguments, ct),
    "propagation" => await PropagationBench.RunAsync(arguments, ct),
    "search-plan" => await SearchPlanBench.RunAsync(arguments, ct),
    _ => BenchArguments.Usage(),
};
