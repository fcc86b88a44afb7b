using MusicDna.Contracts.V1;
using MusicDna.Core.Errors;
using MusicDna.Core.Features;

namespace MusicDna.Contracts.Mapping;

/// <summary>
/// The contract's AudioFeatures ↔ the domain's 12-value vector (<see cref="FeatureSchema"/> order).
/// Presence is checked here (proto3 cannot otherwise tell an unset field from 0); values are checked by the domain.
/// </summary>
public static class FeatureMapper
{
    /// <summary>Returns the vector, or the first unset field as a violation (field names are relative: "tempo").</summary>
    public static double[]? TryToVector(AudioFeatures? features, out FeatureViolation? missing)
    {
        missing = null;
        if (features is null)
        {
            missing = new FeatureViolation("features", "is required");
            return null;
        }

        double?[] values =
        [
            features.HasDanceability ? features.Danceability : null,
            features.HasEnergy ? features.Energy : null,
            features.HasKey ? features.Key : null,
            features.HasLoudness ? features.Loudness : null,
            features.HasMode ? features.Mode : null,
            features.HasSpeechiness ? features.Speechiness : null,
            features.HasAcousticness ? features.Acousticness : null,
            features.HasInstrumentalness ? features.Instrumentalness : null,
            features.HasLiveness ? features.Liveness : null,
            features.HasValence ? features.Valence : null,
            features.HasTempo ? features.Tempo : null,
            features.HasTimeSignature ? features.TimeSignature : null,
        ];

        var vector = new double[FeatureSchema.Count];
        for (var i = 0; i < vector.Length; i++)
        {
            if (values[i] is not { } value)
            {
                missing = new FeatureViolation(FeatureSchema.Names[i], "is required");
                return null;
            }

            vector[i] = value;
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

    public static AudioFeatures ToContract(IReadOnlyList<double> vector) => new()
    {
        Danceability = vector[0],
        Energy = vector[1],
        Key = vector[2],
        Loudness = vector[3],
        Mode = vector[4],
        Speechiness = vector[5],
        Acousticness = vector[6],
        Instrumentalness = vector[7],
        Liveness = vector[8],
        Valence = vector[9],
        Tempo = vector[10],
        TimeSignature = vector[11],
    };
}
