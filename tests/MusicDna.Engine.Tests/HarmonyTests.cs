using MusicDna.Engine.Harmony;

namespace MusicDna.Engine.Tests;

/// <summary>The Camelot wheel and tempo matching that harmonic filters and playlist ordering use.</summary>
public sealed class HarmonyTests
{
    [Fact]
    public void C_major_is_8B_and_A_minor_its_relative_is_8A()
    {
        Assert.Equal("8B", CamelotKey.Of(0, 1)!.Value.ToString());
        Assert.Equal("8A", CamelotKey.Of(9, 0)!.Value.ToString());
        Assert.Null(CamelotKey.Of(-1, 1));
    }

    [Fact]
    public void Every_major_key_shares_its_number_with_its_relative_minor_and_a_fifth_up_is_one_step_clockwise()
    {
        for (var pitch = 0; pitch < 12; pitch++)
        {
            var major = CamelotKey.Of(pitch, 1)!.Value;
            Assert.Equal(major.Number, CamelotKey.Of((pitch + 9) % 12, 0)!.Value.Number);
            Assert.Equal(1, major.StepsTo(CamelotKey.Of((pitch + 7) % 12, 1)!.Value));
        }

        Assert.Equal(12, Enumerable.Range(0, 12).Select(p => CamelotKey.Of(p, 0)!.Value.Number).Distinct().Count());
    }

    [Fact]
    public void Compatible_keys_are_the_same_code_one_step_either_way_and_the_relative_and_the_boost_adds_two_steps_clockwise()
    {
        var g = CamelotKey.Of(7, 1)!.Value; // 9B
        var mixes = Enumerable.Range(0, 12).SelectMany(p => new[] { CamelotKey.Of(p, 1)!.Value, CamelotKey.Of(p, 0)!.Value })
            .Where(k => g.MixesWith(k)).Select(k => k.ToString()).Order().ToList();
        Assert.Equal(["10B", "8B", "9A", "9B"], mixes);
        Assert.True(g.Accepts(new CamelotKey(11, true), KeyMatchMode.Same, energyBoost: true));
        Assert.False(g.Accepts(new CamelotKey(7, true), KeyMatchMode.Same, energyBoost: true));
        Assert.False(g.Accepts(new CamelotKey(8, true), KeyMatchMode.Same, energyBoost: false));
        Assert.True(new CamelotKey(12, false).MixesWith(new CamelotKey(1, false)));
    }

    [Fact]
    public void Half_and_double_time_count_as_the_same_tempo_only_when_asked()
    {
        Assert.Equal(0, TempoMatch.RelativeGap(85, 170, halfDouble: true), 12);
        Assert.Equal(0, TempoMatch.RelativeGap(170, 85, halfDouble: true), 12);
        Assert.Equal(0.5, TempoMatch.RelativeGap(85, 170, halfDouble: false), 12);
        Assert.Equal(0.02, TempoMatch.RelativeGap(122.4, 120, halfDouble: true), 12);
    }
}
