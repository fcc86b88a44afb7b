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
    // when the type is first used (at start-up). Typed getters and setters of the generated properties: the
    // descriptor's own accessor boxes every value.
    private static readonly FieldDescriptor[] Fields = [.. FeatureSchema.Names.Select(name =>
        AudioFeatures.Descriptor.FindFieldByName(name)
            ?? throw new InvalidOperationException($"musicdna.v1.AudioFeatures has no field '{name}' for the feature schema."))];

    private static readonly Func<AudioFeatures, double>[] Getters = [.. Fields.Select(f => Property(f).GetMethod!.CreateDelegate<Func<AudioFeatures, double>>())];

    private static readonly Action<AudioFeatures, double>[] Setters = [.. Fields.Select(f => Property(f).SetMethod!.CreateDelegate<Action<AudioFeatures, double>>())];

    /// <summary>The AudioFeatures field number of the schema's feature <paramref name="schemaIndex"/>.</summary>
    internal static int FieldNumber(int schemaIndex) => Fields[schemaIndex].FieldNumber;

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
            if (!Fields[i].Accessor.HasValue(features))
            {
                missing = new FeatureViolation(FeatureSchema.Names[i], "is required");
                return null;
            }

            vector[i] = Getters[i](features);
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

    /// <summary>The values in <see cref="FeatureSchema"/> order as the contract's message.</summary>
    public static AudioFeatures ToContract(ReadOnlySpan<double> vector)
    {
        var features = new AudioFeatures();
        for (var i = 0; i < Setters.Length; i++)
        {
            Setters[i](features, vector[i]);
        }

        return features;
    }

    private static System.Reflection.PropertyInfo Property(FieldDescriptor field) =>
        typeof(AudioFeatures).GetProperty(field.PropertyName)
            ?? throw new InvalidOperationException($"musicdna.v1.AudioFeatures has no property for the field '{field.Name}'.");
}
