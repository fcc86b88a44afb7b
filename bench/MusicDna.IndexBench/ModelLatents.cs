using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using MusicDna.Evaluation;
using MusicDna.Model;

namespace MusicDna.IndexBench;

/// <summary>
/// The latents of the served model shape (default <see cref="AutoencoderConfig"/> and <see cref="TrainingOptions"/>)
/// trained on the real tracks CSV, one per distinct track, with each track's genre; cached in a small binary file so
/// later runs skip the training.
/// </summary>
internal sealed record ModelLatents(float[] Vectors, int Dimension, int[] Genres, int GenreCount)
{
    public int Count => Genres.Length;

    public static async Task<ModelLatents> LoadOrTrainAsync(string csv, string cache)
    {
        if (File.Exists(cache))
        {
            return Read(cache);
        }

        Console.Error.WriteLine($"training the default model on {csv} for its latents (cached to {cache})");
        await using var stream = File.OpenRead(csv);
        var data = await EvaluationDataset.LoadAsync(stream, CancellationToken.None).ConfigureAwait(false);
        var pipeline = FeaturePipeline.Fit(data.Features);
        var scaled = pipeline.TransformMany(data.Features);
        var width = FeatureSchema.Count;
        var split = DataSplit.Create(data.Count, 0.1, 0.1, seed: 42);
        var training = new TrainingData(Rows(scaled, width, split.Train), Rows(scaled, width, split.Validation), Rows(scaled, width, split.Test), width);
        var config = new AutoencoderConfig();
        var result = new AutoencoderTrainer().Train(config, new TrainingOptions(), training, null, CancellationToken.None);
        using var model = result.Model;
        var latents = new ModelLatents(model.Encode(scaled, data.Count), config.LatentSize, [.. data.Genres], data.GenreNames.Count);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(cache))!);
        latents.Write(cache);
        Console.Error.WriteLine($"{data.Count:N0} tracks, {result.EpochsRun} epochs in {result.Duration.TotalSeconds:F1} s");
        return latents;
    }

    private static float[] Rows(float[] scaled, int width, IReadOnlyList<int> rows)
    {
        var picked = new float[rows.Count * width];
        for (var i = 0; i < rows.Count; i++)
        {
            scaled.AsSpan(rows[i] * width, width).CopyTo(picked.AsSpan(i * width, width));
        }

        return picked;
    }

    private static ModelLatents Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var count = reader.ReadInt32();
        var dimension = reader.ReadInt32();
        var genreCount = reader.ReadInt32();
        var vectors = new float[count * dimension];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = reader.ReadSingle();
        }

        var genres = new int[count];
        for (var i = 0; i < count; i++)
        {
            genres[i] = reader.ReadInt32();
        }

        return new ModelLatents(vectors, dimension, genres, genreCount);
    }

    private void Write(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(Count);
        writer.Write(Dimension);
        writer.Write(GenreCount);
        foreach (var value in Vectors)
        {
            writer.Write(value);
        }

        foreach (var genre in Genres)
        {
            writer.Write(genre);
        }
    }
}
