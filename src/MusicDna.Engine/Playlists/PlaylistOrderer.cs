using MusicDna.Core.Errors;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Playlists;

/// <summary>
/// Orders a playlist for flow under <see cref="FlowCost"/>: nearest-neighbour paths from a few starts (the first
/// track, the lowest- and highest-energy ones, and evenly spread others), and the input order itself, each improved by
/// 2-opt (reversing a stretch of the path while that lowers the cost; with an energy arc, stretches of at most
/// <see cref="ArcSegmentLimit"/> tracks); the cheapest wins, so the result never costs more than the input order. An
/// open path: the first and last tracks need not meet.
/// </summary>
public sealed class PlaylistOrderer(ModelSnapshotHolder snapshots)
{
    private const int SpreadStarts = 4;
    private const int MaxPasses = 100;

    // With an arc a reversal's cost change reads every position it moves, so reversals are limited to this many
    // tracks: each pass stays quadratic in the playlist (docs/steering.md has the timing).
    private const int ArcSegmentLimit = 48;
    private static readonly int EnergyIndex = Core.Features.FeatureSchema.IndexOf("energy");

    public PlaylistOrder Order(PlaylistOrderQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        using var lease = snapshots.Acquire();
        var snapshot = lease.Snapshot;
        var facts = new List<TrackFacts>(query.TrackIds.Count);
        var unknown = new List<string>();
        foreach (var id in query.TrackIds)
        {
            if (snapshot.Tracks.TryFind(id, out _, out var known))
            {
                facts.Add(known);
            }
            else
            {
                unknown.Add(id);
            }
        }

        if (unknown.Count > 0)
        {
            throw new NotFoundException("track", string.Join(", ", unknown), "TRACK_NOT_FOUND");
        }

        var cost = new FlowCost(facts, query, snapshot.Scale.MedianAngle);
        var input = Enumerable.Range(0, facts.Count).ToArray();
        var best = Solve(cost, facts, cancellationToken);
        return new PlaylistOrder(
            snapshot.Version,
            [.. best.Select(i => facts[i].Track)],
            cost.PathLength(input),
            cost.PathLength(best),
            cost.SpanningTreeWeight(),
            cost.Total(input),
            cost.Total(best),
            cost.Clashes(best));
    }

    /// <summary>The cheapest order found, as positions into <paramref name="facts"/>; never costlier than the input order.</summary>
    internal static int[] Solve(FlowCost cost, IReadOnlyList<TrackFacts> facts, CancellationToken cancellationToken)
    {
        var best = TwoOpt([.. Enumerable.Range(0, facts.Count)], cost, cancellationToken);
        var bestCost = cost.Total(best);
        foreach (var start in Starts(facts))
        {
            var candidate = TwoOpt(NearestNeighbour(start, cost), cost, cancellationToken);
            var candidateCost = cost.Total(candidate);
            if (candidateCost < bestCost - 1e-12)
            {
                (best, bestCost) = (candidate, candidateCost);
            }
        }

        return best;
    }

    private static SortedSet<int> Starts(IReadOnlyList<TrackFacts> facts)
    {
        var n = facts.Count;
        var energy = facts.Select(f => f.Features[EnergyIndex]).ToArray();
        var starts = new SortedSet<int> { 0, Array.IndexOf(energy, energy.Min()), Array.IndexOf(energy, energy.Max()) };
        for (var s = 1; s <= SpreadStarts; s++)
        {
            starts.Add(s * n / (SpreadStarts + 1));
        }

        return starts;
    }

    private static int[] NearestNeighbour(int start, FlowCost cost)
    {
        var n = cost.Count;
        var used = new bool[n];
        var order = new int[n];
        order[0] = start;
        used[start] = true;
        for (var k = 1; k < n; k++)
        {
            var last = order[k - 1];
            var next = -1;
            var nextCost = double.PositiveInfinity;
            for (var v = 0; v < n; v++)
            {
                var c = used[v] ? double.PositiveInfinity : cost.Step[last, v] + cost.Position(v, k);
                if (c < nextCost)
                {
                    (next, nextCost) = (v, c);
                }
            }

            order[k] = next;
            used[next] = true;
        }

        return order;
    }

    /// <summary>Reverses stretches [i..j] of the path while one lowers the cost (first improvement), up to a pass limit.</summary>
    private static int[] TwoOpt(int[] start, FlowCost cost, CancellationToken cancellationToken)
    {
        var order = (int[])start.Clone();
        var n = order.Length;
        var longest = cost.HasArc ? ArcSegmentLimit : n;
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var improved = false;
            for (var i = 0; i < n - 1; i++)
            {
                // Once per start position, not per pass: one pass over a few hundred tracks with an arc is long enough
                // to run well past a call's time limit.
                cancellationToken.ThrowIfCancellationRequested();
                for (var j = i + 1; j < Math.Min(n, i + longest); j++)
                {
                    var delta = 0d;
                    if (i > 0)
                    {
                        delta += cost.Step[order[i - 1], order[j]] - cost.Step[order[i - 1], order[i]];
                    }

                    if (j < n - 1)
                    {
                        delta += cost.Step[order[i], order[j + 1]] - cost.Step[order[j], order[j + 1]];
                    }

                    if (cost.HasArc)
                    {
                        for (var k = i; k <= j; k++)
                        {
                            delta += cost.Position(order[i + j - k], k) - cost.Position(order[k], k);
                        }
                    }

                    if (delta < -1e-12)
                    {
                        Array.Reverse(order, i, j - i + 1);
                        improved = true;
                    }
                }
            }

            if (!improved)
            {
                break;
            }
        }

        return order;
    }
}
