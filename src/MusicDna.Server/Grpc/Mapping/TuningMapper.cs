using Google.Protobuf.Reflection;
using MusicDna.Contracts.V1;
using MusicDna.Engine.Recommend.Tuning;

namespace MusicDna.Server.Grpc.Mapping;

/// <summary>
/// TunableAttributes and FeatureOffsets → the domain's tunings and steering. Fields are found by the names in
/// <see cref="AttributeSpec.All"/> and <see cref="FeatureSteering.Steerable"/> (<c>min_energy</c>, <c>target_tempo</c>,
/// <c>energy</c>), so each list is spelled once; a name the contract lacks fails when the type is first used.
/// </summary>
internal static class TuningMapper
{
    private static readonly (AttributeSpec Spec, IFieldAccessor Min, IFieldAccessor Max, IFieldAccessor Target)[] AttributeFields =
    [
        .. AttributeSpec.All.Select(spec => (spec, Field(TunableAttributes.Descriptor, "min_" + spec.Name),
            Field(TunableAttributes.Descriptor, "max_" + spec.Name), Field(TunableAttributes.Descriptor, "target_" + spec.Name))),
    ];

    private static readonly (string Name, IFieldAccessor Field)[] OffsetFields =
        [.. FeatureSteering.Steerable.Select(name => (name, Field(FeatureOffsets.Descriptor, name)))];

    public static IReadOnlyList<AttributeTuning> ToDomain(TunableAttributes? attributes)
    {
        if (attributes is null)
        {
            return [];
        }

        var tunings = new List<AttributeTuning>();
        foreach (var (spec, min, max, target) in AttributeFields)
        {
            var tuning = new AttributeTuning(spec, Value(min, attributes), Value(max, attributes), Value(target, attributes));
            if (tuning.IsLimit || tuning.Target is not null)
            {
                tunings.Add(tuning);
            }
        }

        return tunings;
    }

    public static FeatureSteering ToDomain(FeatureOffsets? offsets)
    {
        if (offsets is null)
        {
            return FeatureSteering.None;
        }

        var set = OffsetFields.Where(f => f.Field.HasValue(offsets)).ToDictionary(f => f.Name, f => (double)f.Field.GetValue(offsets));
        return set.Count == 0 ? FeatureSteering.None : new FeatureSteering { Offsets = set };
    }

    private static double? Value(IFieldAccessor field, TunableAttributes attributes) =>
        field.HasValue(attributes) ? (double)field.GetValue(attributes) : null;

    private static IFieldAccessor Field(MessageDescriptor message, string name) =>
        (message.FindFieldByName(name) ?? throw new InvalidOperationException($"{message.FullName} has no field '{name}'.")).Accessor;
}
