using MusicDna.Core.Numerics;

namespace MusicDna.Core.Tests.Numerics;

public sealed class SplitMix64Tests
{
    [Fact]
    public void Next_reproduces_the_reference_sequence_for_seed_1234567()
    {
        var random = new SplitMix64(1234567);

        Assert.Equal(
            [6457827717110365317UL, 3203168211198807973UL, 9817491932198370423UL],
            new[] { random.Next(), random.Next(), random.Next() });
    }

    [Fact]
    public void NextBelow_stays_in_range_and_reaches_every_value()
    {
        var random = new SplitMix64(7);
        var seen = new int[6];

        for (var i = 0; i < 6_000; i++)
        {
            seen[random.NextBelow(6)]++;
        }

        // Each face expects 1,000; 850 is more than four standard deviations below.
        Assert.All(seen, hits => Assert.InRange(hits, 850, 1_150));
    }
}
