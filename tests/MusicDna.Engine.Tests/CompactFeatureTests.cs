using System.Globalization;
using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Tests;

/// <summary>The track table's compact form of the 12 raw features: every value reads back bit for bit, compact or not.</summary>
public sealed class CompactFeatureTests
{
    [Fact]
    public void Features_as_a_CSV_writes_them_read_back_bit_for_bit_from_the_compact_form()
    {
        var table = new TrackTable(3);
        var random = new Random(11);
        var rows = new List<double[]>();
        for (var row = 0; row < 2_000; row++)
        {
            // Up to 9 decimals in [0, 1] (instrumentalness like 1.01e-06 too), 3 for tempo and loudness, as text parses.
            var features = new double[FeatureSchema.Count];
            for (var i = 0; i < features.Length; i++)
            {
                var spec = FeatureSchema.Features[i];
                features[i] = spec.Integral
                    ? random.Next((int)spec.Min, (int)spec.Max + 1)
                    : spec.Name switch
                    {
                        "tempo" => Parse((random.NextDouble() * 250).ToString("F3", CultureInfo.InvariantCulture)),
                        "loudness" => Parse((-60 + (random.NextDouble() * 64)).ToString("F3", CultureInfo.InvariantCulture)),
                        _ when row % 3 == 0 => Parse((random.Next(1, 1000) * Math.Pow(10, -random.Next(3, 7))).ToString("G3", CultureInfo.InvariantCulture)),
                        _ => Parse(random.NextDouble().ToString("F" + random.Next(0, 10).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)),
                    };
            }

            rows.Add(features);
            table.Upsert(row + 1, TestTracks.Track("t" + row) with { Features = features }, "song" + row, [1, 0, 0]);
        }

        Assert.Equal(0, table.RawFeatureRows);
        for (var row = 0; row < rows.Count; row++)
        {
            Assert.True(table.TryGet(row + 1, out var facts));
            AssertSameBits(rows[row], facts.Features.ToArray());
            for (var i = 0; i < FeatureSchema.Count; i++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(rows[row][i]), BitConverter.DoubleToInt64Bits(facts.Features[i]));
            }
        }
    }

    [Fact]
    public void Features_with_no_exact_compact_form_are_kept_as_doubles_and_read_back_bit_for_bit()
    {
        var table = new TrackTable(3);
        var compact = Features(danceability: 0.676, tempo: 118.005);
        double[][] raw =
        [
            Features(danceability: 0.1 + 1e-12, tempo: 118.005),
            Features(danceability: -0.0, tempo: 118.005),
            Features(danceability: 0.5, tempo: Math.PI * 10),
            Features(danceability: 1e-10, tempo: 1e-7),
        ];

        table.Upsert(1, TestTracks.Track("compact") with { Features = compact }, "s1", [1, 0, 0]);
        for (var i = 0; i < raw.Length; i++)
        {
            table.Upsert(10 + i, TestTracks.Track("raw" + i) with { Features = raw[i] }, "s" + i, [1, 0, 0]);
        }

        Assert.Equal(raw.Length, table.RawFeatureRows);
        Assert.True(table.TryGet(1, out var facts));
        AssertSameBits(compact, facts.Features.ToArray());
        for (var i = 0; i < raw.Length; i++)
        {
            Assert.True(table.TryGet(10 + i, out facts));
            AssertSameBits(raw[i], facts.Features.ToArray());
            Assert.True(facts.Features.SequenceEqual(raw[i]));
            Assert.False(facts.Features.SequenceEqual(compact));
        }
    }

    [Fact]
    public void A_row_replaced_between_the_compact_and_the_raw_form_reads_its_new_values_while_older_facts_keep_theirs()
    {
        var table = new TrackTable(3);
        var compact = Features(danceability: 0.25, tempo: 120);
        var raw = Features(danceability: 1.0 / 3, tempo: 120);
        table.Upsert(7, TestTracks.Track("a") with { Features = compact }, "s", [1, 0, 0]);
        Assert.True(table.TryGet(7, out var first));

        table.Upsert(7, TestTracks.Track("a") with { Features = raw }, "s", [1, 0, 0]);
        Assert.True(table.TryGet(7, out var second));
        table.Upsert(7, TestTracks.Track("a") with { Features = compact }, "s", [1, 0, 0]);
        Assert.True(table.TryGet(7, out var third));

        AssertSameBits(compact, first.Features.ToArray());
        AssertSameBits(raw, second.Features.ToArray());
        AssertSameBits(compact, third.Features.ToArray());
        Assert.Equal(1, table.RawFeatureRows);
    }

    [Fact]
    public void Feature_values_copy_compare_and_refuse_an_index_outside_the_schema()
    {
        var table = new TrackTable(3);
        var features = Features(danceability: 0.5, tempo: 99.5);
        table.Upsert(1, TestTracks.Track("a") with { Features = features }, "s", [1, 0, 0]);
        Assert.True(table.TryGet(1, out var facts));

        var copy = new double[FeatureSchema.Count + 1];
        facts.Features.CopyTo(copy);
        var asArray = facts.Features.ToArray();

        Assert.Equal(features, copy[..FeatureSchema.Count]);
        Assert.Equal(features, asArray);
        Assert.True(facts.Features.SequenceEqual(features));
        Assert.False(facts.Features.SequenceEqual(features.AsSpan(0, FeatureSchema.Count - 1)));
        Assert.Equal(99.5, facts.Tempo);
        Assert.Throws<ArgumentOutOfRangeException>(() => facts.Features[FeatureSchema.Count]);
        Assert.Throws<ArgumentOutOfRangeException>(() => facts.Features[-1]);
        Assert.Throws<ArgumentException>(() => facts.Features.CopyTo(new double[FeatureSchema.Count - 1]));
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static double[] Features(double danceability, double tempo)
    {
        double[] features = [0, 0.8, 5, -6.2, 1, 0.05, 0.12, 0, 0.11, 0.58, 0, 4];
        features[FeatureSchema.IndexOf("danceability")] = danceability;
        features[FeatureSchema.IndexOf("tempo")] = tempo;
        return features;
    }

    private static void AssertSameBits(double[] expected, double[] actual) =>
        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
}
