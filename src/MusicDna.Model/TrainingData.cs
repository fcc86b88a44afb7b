using MusicDna.Core.Errors;

namespace MusicDna.Model;

/// <summary>
/// Already split, already scaled rows, row-major (<c>row * Features + feature</c>). The caller fits the feature
/// pipeline on the training rows and splits; the trainer only learns from what it is given.
/// <see cref="TrainGenres"/> optionally labels each training row with a genre in 0..<see cref="GenreCount"/>-1,
/// for <see cref="TrainingOptions.GenreWeight"/>; without them the trainer trains the pure autoencoder.
/// </summary>
public sealed record TrainingData(float[] Train, float[] Validation, float[] Test, int Features)
{
    public IReadOnlyList<int>? TrainGenres { get; init; }

    public int GenreCount { get; init; }

    public int TrainRows => Features > 0 ? Train.Length / Features : 0;

    public int ValidationRows => Features > 0 ? Validation.Length / Features : 0;

    public int TestRows => Features > 0 ? Test.Length / Features : 0;

    /// <summary>Throws <see cref="InvalidInputException"/> when the arrays do not fit <paramref name="config"/>.</summary>
    public void Validate(AutoencoderConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (Features != config.InputSize)
        {
            throw new InvalidInputException(
                "training_data.features", $"must equal input_size ({config.InputSize}), got {Features}");
        }

        Check("training_data.train", Train, mustHaveRows: true);
        Check("training_data.validation", Validation, mustHaveRows: true);
        Check("training_data.test", Test, mustHaveRows: false);
        if (TrainGenres is not null)
        {
            if (TrainGenres.Count != TrainRows)
            {
                throw new InvalidInputException(
                    "training_data.train_genres", $"must label each of the {TrainRows} training rows, got {TrainGenres.Count} labels");
            }

            if (GenreCount < 1)
            {
                throw new InvalidInputException("training_data.genre_count", $"must be positive with labels, got {GenreCount}");
            }

            var bad = TrainGenres.ToList().FindIndex(g => g < 0 || g >= GenreCount);
            if (bad >= 0)
            {
                throw new InvalidInputException(
                    "training_data.train_genres", $"every label must be in 0..{GenreCount - 1}, row {bad} has {TrainGenres[bad]}");
            }
        }
    }

    private void Check(string field, float[]? values, bool mustHaveRows)
    {
        if (values is null)
        {
            throw new InvalidInputException(field, "must be given");
        }

        if (values.Length % Features != 0)
        {
            throw new InvalidInputException(
                field, $"length {values.Length} is not a whole number of {Features}-feature rows");
        }

        if (mustHaveRows && values.Length == 0)
        {
            throw new InvalidInputException(field, "must hold at least one row");
        }

        var bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw new InvalidInputException(field, $"row {bad / Features} holds a non-finite value");
        }
    }
}
