using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using MusicDna.Contracts.V1;
using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Recommend;
using MusicDna.Engine.Snapshots;
using MusicDna.Index;
using MusicDna.Server.Grpc.Mapping;
using Recommendation = MusicDna.Engine.Recommend.Recommendation;

namespace MusicDna.Benchmarks;

/// <summary>
/// One Recommend page of results (k = 10 rows from a track table, and the end) mapped to contract messages, as the
/// gRPC service does per row, and then serialised as gRPC would write them; beside it, the rows mapped through a
/// domain <see cref="Core.Tracks.Track"/> built first (the path before the rows were written from the table's columns), and the
/// 12 features of 10 rows set through the descriptor's accessor (boxing each value) against the typed setters.
/// </summary>
[MemoryDiagnoser]
public class ResultMappingBenchmarks
{
    private static readonly IFieldAccessor[] Accessors =
        [.. FeatureSchema.Names.Select(name => AudioFeatures.Descriptor.FindFieldByName(name)!.Accessor)];

    private FeedEvent[] _page = null!;
    private Recommendation[] _rows = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var table = new TrackTable(6);
        var vector = new float[6];
        for (var i = 0; i < 10; i++)
        {
            var track = SyntheticTracks.Track(random, i);
            for (var d = 0; d < vector.Length; d++)
            {
                vector[d] = (float)((random.NextDouble() * 2) - 1);
            }

            VectorMath.Normalize(vector);
            table.Upsert(i + 1, track, SongKey.Of(track), vector);
        }

        _rows = [.. table.Rows.OrderBy(r => r.Key).Select((r, i) => new Recommendation(i + 1, r.Value, 0.99f - i, 0.99f - i))];
        _page = [.. _rows, new FeedEnd(1, 10, false, "", [], 11)];
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
    public int MapPageThroughDomainTrack()
    {
        var size = 0;
        foreach (var row in _rows)
        {
            size += new RecommendResponse
            {
                Recommendation = new Contracts.V1.Recommendation
                {
                    Rank = row.Rank,
                    Score = row.Score,
                    RankingScore = row.RankingScore,
                    Track = TrackMapper.ToContract(row.Track),
                    Cosine = row.Cosine,
                    SongId = row.SongId,
                    SongVersions = row.SongVersions,
                    Group = row.Group,
                },
            }.CalculateSize();
        }

        return size + RecommendRequestMapper.ToContract(_page[^1]).CalculateSize();
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

    [Benchmark]
    public double FeaturesThroughAccessors()
    {
        var sum = 0.0;
        foreach (var row in _rows)
        {
            var features = new AudioFeatures();
            var values = row.Facts.Features;
            for (var i = 0; i < Accessors.Length; i++)
            {
                Accessors[i].SetValue(features, values[i]);
            }

            sum += features.Tempo;
        }

        return sum;
    }

    [Benchmark]
    public double FeaturesThroughSetters()
    {
        var sum = 0.0;
        Span<double> features = stackalloc double[FeatureSchema.Count];
        foreach (var row in _rows)
        {
            row.Facts.Features.CopyTo(features);
            sum += FeatureMapper.ToContract(features).Tempo;
        }

        return sum;
    }
}
