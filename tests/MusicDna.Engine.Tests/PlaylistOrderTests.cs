using MusicDna.Core.Features;
using MusicDna.Engine.Playlists;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Tests;

/// <summary>The flow cost, its lower bound and the nearest-neighbour + 2-opt search behind OrderPlaylist.</summary>
public sealed class PlaylistOrderTests
{
    // Tracks on one great circle of the latent sphere, at these angles (radians): the shortest path visits them in order.
    private static List<TrackFacts> OnAnArc(IEnumerable<double> angles, double[]? energies = null) =>
    [
        .. angles.Select((a, i) =>
        {
            var track = TestTracks.Track($"t{i}");
            if (energies is not null)
            {
                track.Features[FeatureSchema.IndexOf("energy")] = energies[i];
            }

            return TestTracks.Facts(track, [(float)Math.Cos(a), (float)Math.Sin(a), 0, 0, 0, 0]);
        }),
    ];

    private static PlaylistOrderQuery Query(int count, EnergyArcShape arc = EnergyArcShape.None) =>
        new() { TrackIds = [.. Enumerable.Range(0, count).Select(i => $"t{i}")], EnergyArc = arc };

    [Fact]
    public void Shuffled_tracks_on_an_arc_come_back_in_arc_order_at_the_lower_bound()
    {
        var angles = new[] { 0.9, 0.1, 1.3, 0.5, 0.0, 1.1, 0.3, 0.7, 1.2, 0.2, 0.6, 1.0 };
        var facts = OnAnArc(angles);
        var cost = new FlowCost(facts, Query(facts.Count), medianAngle: 1);

        var order = PlaylistOrderer.Solve(cost, facts, CancellationToken.None);

        var visited = order.Select(i => angles[i]).ToList();
        Assert.True(visited.SequenceEqual(visited.Order()) || visited.SequenceEqual(visited.OrderDescending()), string.Join(", ", visited));
        Assert.Equal(1.3, cost.PathLength(order), 5);
        Assert.Equal(1.3, cost.SpanningTreeWeight(), 5);
        Assert.True(cost.PathLength(order) < cost.PathLength([.. Enumerable.Range(0, facts.Count)]));
    }

    [Fact]
    public void Never_costs_more_than_the_input_order_and_keeps_every_track_once()
    {
        var random = new Random(5);
        var facts = Enumerable.Range(0, 60)
            .Select(i => TestTracks.Facts($"t{i}", [.. Enumerable.Range(0, 6).Select(_ => (float)random.NextDouble())]))
            .ToList();
        foreach (var arc in Enum.GetValues<EnergyArcShape>())
        {
            var cost = new FlowCost(facts, Query(facts.Count, arc) with { KeyCompatible = true, TempoNear = true }, medianAngle: 0.5);
            var order = PlaylistOrderer.Solve(cost, facts, CancellationToken.None);
            Assert.Equal(Enumerable.Range(0, facts.Count), order.Order());
            Assert.True(cost.Total(order) <= cost.Total([.. Enumerable.Range(0, facts.Count)]), arc.ToString());
        }
    }

    [Fact]
    public void A_rising_arc_orders_otherwise_equal_tracks_by_energy()
    {
        var energies = new[] { 0.5, 0.9, 0.1, 0.7, 0.3 };
        var facts = OnAnArc(energies.Select(_ => 0.4), energies);
        var cost = new FlowCost(facts, Query(facts.Count, EnergyArcShape.Rising), medianAngle: 1);

        var order = PlaylistOrderer.Solve(cost, facts, CancellationToken.None);

        Assert.Equal(energies.Order(), order.Select(i => energies[i]));
    }
}
