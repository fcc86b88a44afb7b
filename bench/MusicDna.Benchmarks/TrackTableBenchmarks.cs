using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Snapshots;
using MusicDna.Index;

namespace MusicDna.Benchmarks;

/// <summary>
/// The in-memory reads of one Recommend k=10, against the compact <see cref="TrackTable"/> and against the layout it
/// replaced (a record per track holding the whole <see cref="Track"/>, its vector array and song id string, in
/// concurrent dictionaries by row id and track id), side by side in one run: the seed found by track id, 64 index hits
/// read and filtered (genre, explicit, popularity, tempo, song, vector), then the 10 returned rows' tracks, songs and
/// version counts built.
/// </summary>
[MemoryDiagnoser]
public class TrackTableBenchmarks
{
    private const int Dimension = 6;
    private const int Hits = 64;
    private const int Returned = 10;
    private static readonly int TempoIndex = FeatureSchema.IndexOf("tempo");

    private readonly HashSet<string> _genres = new(StringComparer.OrdinalIgnoreCase) { "genre1", "genre2", "genre3" };
    private TrackTable _compact = null!;
    private PreviousTable _previous = null!;
    private long[] _hits = null!;
    private string _seedId = "";

    [Params(100_000)]
    public int Tracks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _compact = new TrackTable(Dimension);
        _previous = new PreviousTable();
        var vector = new float[Dimension];
        for (var i = 0; i < Tracks; i++)
        {
            var track = SyntheticTracks.Track(random, i);
            for (var d = 0; d < Dimension; d++)
            {
                vector[d] = (float)((random.NextDouble() * 2) - 1);
            }

            VectorMath.Normalize(vector);
            _compact.Upsert(i + 1, track, SongKey.Of(track), vector);
            _previous.Upsert(i + 1, new PreviousFacts(track, [.. vector], SongKey.Of(track)));
        }

        _hits = [.. Enumerable.Range(0, Hits).Select(_ => (long)random.Next(1, Tracks + 1))];
        _seedId = $"track{Tracks / 2:D8}";
    }

    [Benchmark(Baseline = true)]
    public long PreviousLayout()
    {
        _previous.TryFind(_seedId, out _, out var seed);
        var seedSongs = new HashSet<string>(StringComparer.Ordinal) { seed!.SongId };
        var sum = 0L;
        var returned = 0;
        foreach (var hit in _hits)
        {
            if (_previous.TryGet(hit, out var facts) && !seedSongs.Contains(facts.SongId) && !_genres.Contains(facts.Track.Genre)
                && !(facts.Track.Explicit && facts.Track.Popularity > 100) && facts.Track.Features[TempoIndex] > 0)
            {
                sum += (long)(UnitVector(seed.Vector, facts.Vector) * 1000);
                if (returned++ < Returned)
                {
                    var track = facts.Track;
                    sum += track.TrackId.Length + facts.SongId.Length + _previous.VersionsOf(facts.SongId).Length;
                }
            }
        }

        return sum;
    }

    [Benchmark]
    public long CompactTable()
    {
        _compact.TryFind(_seedId, out _, out var seed);
        var seedSongs = new HashSet<UInt128> { seed.Song };
        var seedVector = seed.Vector.ToArray();
        var sum = 0L;
        var returned = 0;
        foreach (var hit in _hits)
        {
            if (_compact.TryGet(hit, out var facts) && !seedSongs.Contains(facts.Song) && !_genres.Contains(facts.Genre)
                && !(facts.Explicit && facts.Popularity > 100) && facts.Tempo > 0)
            {
                sum += (long)(UnitVector(seedVector, facts.Vector) * 1000);
                if (returned++ < Returned)
                {
                    var track = facts.Track;
                    sum += track.TrackId.Length + facts.SongId.Length + _compact.VersionsOf(facts.Song).Count;
                }
            }
        }

        return sum;
    }

    private static float UnitVector(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var dot = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
        }

        return dot;
    }

    private sealed record PreviousFacts(Track Track, float[] Vector, string SongId);

    /// <summary>The table's previous layout, as it was written (reads only, single writer here).</summary>
    private sealed class PreviousTable
    {
        private readonly ConcurrentDictionary<long, PreviousFacts> _rows = new();
        private readonly ConcurrentDictionary<string, long> _rowIdByTrackId = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, long[]> _rowIdsBySong = new(StringComparer.Ordinal);

        public bool TryGet(long rowId, out PreviousFacts facts) => _rows.TryGetValue(rowId, out facts!);

        public bool TryFind(string trackId, out long rowId, out PreviousFacts? facts)
        {
            facts = null;
            return _rowIdByTrackId.TryGetValue(trackId, out rowId) && _rows.TryGetValue(rowId, out facts);
        }

        public long[] VersionsOf(string songId) => _rowIdsBySong.TryGetValue(songId, out var rows) ? rows : [];

        public void Upsert(long rowId, PreviousFacts facts)
        {
            _rowIdByTrackId[facts.Track.TrackId] = rowId;
            _rows[rowId] = facts;
            _rowIdsBySong.AddOrUpdate(facts.SongId, [rowId], (_, rows) => rows.Contains(rowId) ? rows : [.. rows, rowId]);
        }
    }
}
