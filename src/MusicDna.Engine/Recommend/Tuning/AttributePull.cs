using MusicDna.Core.Features;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend.Tuning;

/// <summary>
/// The soft pull of a request's targets: <see cref="Distance"/> is the mean over the targeted attributes of how far a
/// track is from each target, 0 to 1. Audio features compare in the model's scaled space (the fitted pipeline maps
/// each to about 0..1 over the catalogue, so gaps weigh alike across features), popularity per 100 points, duration by
/// the log2 of the ratio, capped at 1. The page is ranked by <c>score − weight × distance</c>.
/// </summary>
internal sealed class AttributePull
{
    private readonly List<(AttributeSpec Attribute, double Target, float ScaledTarget)> _targets;
    private readonly FeaturePipeline _pipeline;
    private readonly float[] _scaled = new float[FeatureSchema.Count];
    private readonly double[] _raw = new double[FeatureSchema.Count];

    public AttributePull(IEnumerable<AttributeTuning> tunings, FeaturePipeline pipeline, double weight)
    {
        _pipeline = pipeline;
        Weight = (float)weight;
        _targets = [.. tunings.Where(t => t.Target is not null).Select(t => (t.Attribute, t.Target!.Value, 0f))];

        // Only feature targets compare in the scaled space: most feeds have none, and skip the pipeline.
        if (!_targets.Exists(t => t.Attribute.IsFeature))
        {
            return;
        }

        var probe = FeatureSchema.Features.Select(f => Math.Max(f.Min, 0)).ToArray();
        foreach (var (attribute, target, _) in _targets)
        {
            if (attribute.IsFeature)
            {
                probe[attribute.FeatureIndex] = target;
            }
        }

        pipeline.Transform(probe, _scaled);
        for (var i = 0; i < _targets.Count; i++)
        {
            if (_targets[i].Attribute.IsFeature)
            {
                _targets[i] = _targets[i] with { ScaledTarget = _scaled[_targets[i].Attribute.FeatureIndex] };
            }
        }
    }

    public float Weight { get; }

    public bool IsEmpty => _targets.Count == 0;

    /// <summary>The mean distance from the targets, 0 (on every target) to 1.</summary>
    public float Distance(TrackFacts track)
    {
        if (_targets.Count == 0)
        {
            return 0;
        }

        track.Features.CopyTo(_raw);
        _pipeline.Transform(_raw, _scaled);
        var sum = 0d;
        foreach (var (attribute, target, scaledTarget) in _targets)
        {
            var gap = attribute.Name switch
            {
                AttributeSpec.Popularity => Math.Abs(track.Popularity - target) / 100,
                AttributeSpec.DurationMs => Math.Abs(Math.Log2(Math.Max(track.DurationMs, 1) / target)),
                _ => Math.Abs(_scaled[attribute.FeatureIndex] - scaledTarget),
            };
            sum += Math.Min(gap, 1);
        }

        return (float)(sum / _targets.Count);
    }
}
