using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using MusicDna.Engine.Recommend;
using MusicDna.Server.Grpc.Mapping;

namespace MusicDna.Benchmarks;

/// <summary>One Recommend page of results (k = 10 rows and the end) mapped to contract messages, as the gRPC service
/// does per row, and then serialised as gRPC would write them.</summary>
[MemoryDiagnoser]
public class ResultMappingBenchmarks
{
    private FeedEvent[] _page = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _page =
        [
            .. Enumerable.Range(0, 10).Select(i => new Recommendation(i + 1, SyntheticTracks.Track(random, i), 0.99f - i, 0.99f - i)),
            new FeedEnd(1, 10, false, "", [], 11),
        ];
    }

    [Benchmark]
    public int MapPage()
    {
        var size = 0;
        foreach (var item in _page)
        {
            size += RecommendRequestMapper.ToContract(item).CalculateSize();
        }

        return size;
    }

    [Benchmark]
    public int MapAndSerialisePage()
    {
        var bytes = 0;
        foreach (var item in _page)
        {
            bytes += RecommendRequestMapper.ToContract(item).ToByteArray().Length;
        }

        return bytes;
    }
}
