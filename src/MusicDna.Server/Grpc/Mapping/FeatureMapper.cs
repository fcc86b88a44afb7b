using Google.Protobuf.Reflection;
using MusicDna.Contracts.V1;
using MusicDna.Core.Errors;
using MusicDna.Core.Features;

namespace MusicDna.Server.Grpc.Mapping;

/// <summary>
/// The contract's AudioFeatures ↔ the domain's 12-value vector. The fields are found by the names in
/// <see cref="FeatureSchema"/>, so the feature list is spelled once. Presence is checked here (proto3 cannot otherwise
/// tell an unset field from 0); values are checked by the domain.
/// </summary>
public static class FeatureMapper
{
    // AudioFeatures' field for each schema feature, in schema order; a schema feature the contract lacks fails here,
    // when the type is first used (at start-up).
    private static readonly IFieldAccessor[] Fields = [.. FeatureSchema.Names.Select(name =>
        (AudioFeatures.Descriptor.FindFieldByName(name)
            ?? throw new InvalidOperationException($"musicdna.v1.AudioFeatures has no field '{name}' for the feature schema.")).Accessor)];

    /// <summary>Returns the vector, or the first unset field as a violation (field names are relative: "tempo").</summary>
    public static double[]? TryToVector(AudioFeatures? features, out FeatureViolation? missing)
    {
        missing = null;
        if (features is null)
        {
            missing = new FeatureViolation("features", "is required");
            return null;
        }

        var vector = new double[FeatureSchema.Count];
        for (var i = 0; i < vector.Length; i++)
        {
            if (!Fields[i].HasValue(features))
            {
                missing = new FeatureViolation(FeatureSchema.Names[i], "is required");
                return null;
            }

            vector[i] = (double)Fields[i].GetValue(features);
        }

        return vector;
    }

    /// <summary>Returns the vector or throws INVALID_ARGUMENT naming <paramref name="path"/>.field.</summary>
    public static double[] ToVector(AudioFeatures? features, string path)
    {
        var vector = TryToVector(features, out var missing);
        if (vector is null)
        {
            var field = missing!.Field == "features" ? path : $"{path}.{missing.Field}";
            throw new InvalidInputException(field, missing.Reason);
        }

        return vector;
    }

    public static AudioFeatures ToContract(IReadOnlyList<double> vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        var features = new AudioFeatures();
        for (var i = 0; i < Fields.Length; i++)
        {
            Fields[i].SetValue(features, vector[i]);
        }

        return features;
    }
}
