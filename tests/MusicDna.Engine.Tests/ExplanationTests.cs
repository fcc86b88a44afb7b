using MusicDna.Core.Features;
using MusicDna.Engine.Recommend;

namespace MusicDna.Engine.Tests;

public sealed class ExplanationTests
{
    //                                         dance energy key  loud   mode speech acoustic instr live valence tempo  metre
    private static readonly double[] Seed = [0.50, 0.40, 0, -10.0, 1, 0.05, 0.90, 0.00, 0.10, 0.30, 120.0, 4];

    [Fact]
    public void Features_are_shown_in_their_own_units_signed_track_minus_seed()
    {
        var track = With(Seed, ("tempo", 146.0), ("loudness", -7.5));

        var why = Explain(track);

        var tempo = Find(why, "tempo");
        Assert.Equal(("BPM", 120.0, 146.0, 26.0), (tempo.Unit, tempo.SeedValue, tempo.TrackValue, tempo.Difference));
        Assert.Equal("tempo 120 → 146 BPM", tempo.Text);
        var loudness = Find(why, "loudness");
        Assert.Equal(("dB", 2.5), (loudness.Unit, loudness.Difference));
        Assert.Equal("loudness −10.0 → −7.5 dB", loudness.Text);
    }

    [Fact]
    public void Zero_to_one_features_read_as_percent()
    {
        var why = Explain(With(Seed, ("acousticness", 0.30)));

        var acousticness = Assert.Single(why.Furthest, c => c.Feature == "acousticness");
        Assert.Equal("%", acousticness.Unit);
        Assert.Equal(90, acousticness.SeedValue, 9);
        Assert.Equal(30, acousticness.TrackValue, 9);
        Assert.Equal("acousticness 90 → 30 %", acousticness.Text);
    }

    [Fact]
    public void Two_or_three_closest_and_one_or_two_furthest_and_a_shared_key_reads_same_key()
    {
        var why = Explain(With(Seed, ("energy", 0.9), ("valence", 0.31)));

        Assert.Equal(3, why.Closest.Count);
        Assert.Equal("same key (C)", why.Closest[2].Text);
        Assert.InRange(why.Furthest.Count, 1, 2);
        Assert.Equal("energy", why.Furthest[0].Feature);
        Assert.DoesNotContain(why.Closest.Concat(why.Furthest), c => c.Feature is "mode" or "time_signature");
    }

    [Fact]
    public void A_discrete_feature_is_named_only_where_it_differs()
    {
        var why = Explain(With(Seed, ("key", 2), ("mode", 0), ("energy", 0.8)));

        Assert.NotEqual("key", why.Closest[2].Feature);
        Assert.Equal("mode major → minor", why.Furthest[1].Text);
        Assert.DoesNotContain(why.Closest, c => c.Feature is "key" or "mode" or "time_signature");
    }

    [Fact]
    public void A_different_metre_reads_as_time_signatures()
    {
        var why = Explain(With(Seed, ("time_signature", 3), ("energy", 0.8)));

        Assert.Equal("time signature 4/4 → 3/4", why.Furthest[1].Text);
    }

    [Fact]
    public void A_track_identical_to_the_seed_lists_nothing_as_different()
    {
        var why = Explain(Seed);

        Assert.Empty(why.Furthest);
        Assert.All(why.Closest, c => Assert.Equal(0, c.Difference));
    }

    [Fact]
    public void An_undetected_key_is_never_called_the_same_key()
    {
        var noKey = With(Seed, ("key", -1));

        var why = Explain(With(noKey, ("energy", 0.8)), seed: noKey);

        Assert.DoesNotContain(why.Closest, c => c.Feature == "key");
    }

    private static Explanation Explain(double[] track, double[]? seed = null)
    {
        seed ??= Seed;
        // Fitted on spread-out tracks, as a real model's pipeline is, so a small raw gap stays a small scaled gap.
        var pipeline = FeaturePipeline.Fit([seed, track, .. TestTracks.FeatureRows(200, seed: 5)]);
        var seedScaled = new float[FeatureSchema.Count];
        var trackScaled = new float[FeatureSchema.Count];
        pipeline.Transform(seed, seedScaled);
        pipeline.Transform(track, trackScaled);
        return Explanation.Of(seed, seedScaled, track, trackScaled);
    }

    private static FeatureComparison Find(Explanation why, string feature) =>
        why.Closest.Concat(why.Furthest).Single(c => c.Feature == feature);

    private static double[] With(double[] features, params (string Name, double Value)[] changes)
    {
        var copy = features.ToArray();
        foreach (var (name, value) in changes)
        {
            copy[FeatureSchema.IndexOf(name)] = value;
        }

        return copy;
    }
}
