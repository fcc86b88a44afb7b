using BenchmarkDotNet.Running;

// `dotnet MusicDna.Benchmarks.dll --filter '*' --job Short` (scripts/bench.sh runs exactly that).
BenchmarkSwitcher.FromAssembly(typeof(MusicDna.Benchmarks.PipelineBenchmarks).Assembly).Run(args);
