using BenchmarkDotNet.Attributes;
using MusicDna.Core.Features;

namespace MusicDna.Benchmarks;

/// <summary>The feature pipeline (Yeo-Johnson, then min-max) on the way into the encoder: one row (a cold-start
/// Recommend or Embed of one track) and a batch of 1,000 (an Embed call at its limit).</summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private FeaturePipeline _pipeline = null!;
    private double[][] _rows = null!;
    private readonly float[] _scaled = new float[FeatureSchema.Count];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _rows = [.. Enumerable.Range(0, 1000).Select(_ => SyntheticTracks.Features(random))];
        _pipeline = FeaturePipeline.Fit(_rows);
    }

    [Benchmark]
    public void TransformOne() => _pipeline.Transform(_rows[0], _scaled);

    [Benchmark(OperationsPerInvoke = 1000)]
    public float[] TransformMany1000() => _pipeline.TransformMany(_rows);
}
