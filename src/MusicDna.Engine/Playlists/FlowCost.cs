using MusicDna.Core.Features;
using MusicDna.Engine.Harmony;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Playlists;

/// <summary>
/// What an ordering of n tracks costs: each step the angle between the two tracks' unit latent vectors, plus (when
/// asked) θ_median for a step whose keys do not mix on the Camelot wheel and θ_median × min(1, tempo gap / 10 %) for
/// a tempo step (half and double time count as the same tempo), plus for each position arc_weight × θ_median ×
/// |energy − the arc's target there|, the arc running between the playlist's lowest and highest energy. θ_median
/// (the median angle between two catalogue tracks) puts every term in the unit of a typical step.
/// </summary>
internal sealed class FlowCost
{
    public const double TempoGapForFullPenalty = 0.10;

    private static readonly int KeyIndex = FeatureSchema.IndexOf("key");
    private static readonly int ModeIndex = FeatureSchema.IndexOf("mode");
    private static readonly int EnergyIndex = FeatureSchema.IndexOf("energy");
    private static readonly int TempoIndex = FeatureSchema.IndexOf("tempo");

    private readonly double[] _energy;
    private readonly double _arcUnit;
    private readonly double _lowEnergy;
    private readonly double _highEnergy;
    private readonly EnergyArcShape _arc;

    public FlowCost(IReadOnlyList<TrackFacts> tracks, PlaylistOrderQuery query, double medianAngle)
    {
        var n = tracks.Count;
        Count = n;
        Angle = new double[n, n];
        Step = new double[n, n];
        Clash = new bool[n, n];
        var keys = tracks.Select(t => CamelotKey.Of(t.Features[KeyIndex], t.Features[ModeIndex])).ToArray();
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var angle = Math.Acos(Math.Clamp(UnitVector.Dot(tracks[i].Vector, tracks[j].Vector), -1f, 1f));
                var clash = keys[i] is not { } a || keys[j] is not { } b || !a.MixesWith(b);
                var step = angle;
                if (query.KeyCompatible && clash)
                {
                    step += medianAngle;
                }

                if (query.TempoNear)
                {
                    var (ti, tj) = (tracks[i].Features[TempoIndex], tracks[j].Features[TempoIndex]);
                    var gap = Math.Min(TempoMatch.RelativeGap(ti, tj, halfDouble: true), TempoMatch.RelativeGap(tj, ti, halfDouble: true));
                    step += medianAngle * Math.Min(1, gap / TempoGapForFullPenalty);
                }

                (Angle[i, j], Angle[j, i]) = (angle, angle);
                (Step[i, j], Step[j, i]) = (step, step);
                (Clash[i, j], Clash[j, i]) = (clash, clash);
            }
        }

        _energy = [.. tracks.Select(t => t.Features[EnergyIndex])];
        _arc = query.EnergyArc;
        _arcUnit = query.EffectiveArcWeight * medianAngle;
        _lowEnergy = _energy.Min();
        _highEnergy = _energy.Max();
    }

    public int Count { get; }

    /// <summary>The sonic distance between two tracks (radians).</summary>
    public double[,] Angle { get; }

    /// <summary>The cost of a step between two tracks, symmetric.</summary>
    public double[,] Step { get; }

    /// <summary>Whether two tracks' keys do not mix.</summary>
    public bool[,] Clash { get; }

    public bool HasArc => _arc != EnergyArcShape.None;

    /// <summary>The arc's cost of track <paramref name="track"/> at position <paramref name="position"/>.</summary>
    public double Position(int track, int position)
    {
        if (!HasArc)
        {
            return 0;
        }

        var t = Count == 1 ? 0 : (double)position / (Count - 1);
        var shape = _arc switch
        {
            EnergyArcShape.Rising => t,
            EnergyArcShape.Falling => 1 - t,
            _ => 1 - Math.Abs((2 * t) - 1),
        };
        return _arcUnit * Math.Abs(_energy[track] - (_lowEnergy + ((_highEnergy - _lowEnergy) * shape)));
    }

    public double PathLength(IReadOnlyList<int> order)
    {
        var sum = 0d;
        for (var k = 1; k < order.Count; k++)
        {
            sum += Angle[order[k - 1], order[k]];
        }

        return sum;
    }

    public double Total(IReadOnlyList<int> order)
    {
        var sum = 0d;
        for (var k = 0; k < order.Count; k++)
        {
            sum += Position(order[k], k) + (k > 0 ? Step[order[k - 1], order[k]] : 0);
        }

        return sum;
    }

    public int Clashes(IReadOnlyList<int> order)
    {
        var clashes = 0;
        for (var k = 1; k < order.Count; k++)
        {
            clashes += Clash[order[k - 1], order[k]] ? 1 : 0;
        }

        return clashes;
    }

    /// <summary>The minimum spanning tree's weight over the angles (Prim): no path through every track is shorter.</summary>
    public double SpanningTreeWeight()
    {
        var n = Count;
        var inTree = new bool[n];
        var nearest = Enumerable.Repeat(double.PositiveInfinity, n).ToArray();
        nearest[0] = 0;
        var weight = 0d;
        for (var added = 0; added < n; added++)
        {
            var next = -1;
            for (var v = 0; v < n; v++)
            {
                if (!inTree[v] && (next < 0 || nearest[v] < nearest[next]))
                {
                    next = v;
                }
            }

            inTree[next] = true;
            weight += nearest[next];
            for (var v = 0; v < n; v++)
            {
                if (!inTree[v])
                {
                    nearest[v] = Math.Min(nearest[v], Angle[next, v]);
                }
            }
        }

        return weight;
    }
}
