using System.Globalization;
using MusicDna.Contracts.V1;
using MusicDna.Core.Features;
using MusicDna.Server.Grpc.Mapping;

namespace MusicDna.Cli;

/// <summary>Parses "--features" text: 12 comma-separated numbers in schema order (danceability,…,time_signature).</summary>
internal static class FeatureArgument
{
    public static string Help { get; } = "12 comma-separated numbers: " + string.Join(",", FeatureSchema.Names);

    public static AudioFeatures Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != FeatureSchema.Count)
        {
            throw new FormatException($"--features needs {FeatureSchema.Count} values ({string.Join(",", FeatureSchema.Names)}), got {parts.Length}");
        }

        var v = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]))
            {
                throw new FormatException($"--features: '{parts[i]}' ({FeatureSchema.Names[i]}) is not a number");
            }
        }

        return FeatureMapper.ToContract(v);
    }
}
