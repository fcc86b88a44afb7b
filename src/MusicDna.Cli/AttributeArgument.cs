using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using MusicDna.Contracts.V1;

namespace MusicDna.Cli;

/// <summary>
/// Parses "name=value" options (<c>--target energy=0.8</c>, <c>--min tempo=120</c>, <c>--steer valence=-0.3</c>) into the
/// contract's TunableAttributes and FeatureOffsets, finding each field by name so the lists are spelled once (in the
/// proto). Values are checked by the server.
/// </summary>
internal static class AttributeArgument
{
    public static string AttributeHelp { get; } = string.Join(", ",
        TunableAttributes.Descriptor.Fields.InFieldNumberOrder().Where(f => f.Name.StartsWith("target_", StringComparison.Ordinal)).Select(f => f.Name["target_".Length..]));

    public static string OffsetHelp { get; } = string.Join(", ", FeatureOffsets.Descriptor.Fields.InFieldNumberOrder().Select(f => f.Name));

    /// <summary>Sets <c>{prefix}_{name}</c> on <paramref name="attributes"/> for each "name=value".</summary>
    public static void Apply(TunableAttributes attributes, string prefix, IEnumerable<string> pairs)
    {
        foreach (var pair in pairs)
        {
            var (name, value) = Split(pair, "--" + prefix);
            Set(attributes, TunableAttributes.Descriptor, $"{prefix}_{name}", value, $"--{prefix} {pair}: no attribute '{name}' (one of {AttributeHelp})");
        }
    }

    public static FeatureOffsets Offsets(IEnumerable<string> pairs)
    {
        var offsets = new FeatureOffsets();
        foreach (var pair in pairs)
        {
            var (name, value) = Split(pair, "--steer");
            Set(offsets, FeatureOffsets.Descriptor, name, value, $"--steer {pair}: no steerable feature '{name}' (one of {OffsetHelp})");
        }

        return offsets;
    }

    private static (string Name, double Value) Split(string pair, string option)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || !double.TryParse(pair[(equals + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"{option} {pair}: expected name=number, e.g. energy=0.8");
        }

        return (pair[..equals].Trim().Replace('-', '_'), value);
    }

    private static void Set(IMessage message, MessageDescriptor descriptor, string field, double value, string unknown) =>
        (descriptor.FindFieldByName(field) ?? throw new FormatException(unknown)).Accessor.SetValue(message, value);
}
