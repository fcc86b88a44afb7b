using MusicDna.Core.Errors;

namespace MusicDna.Model.Tests;

public sealed class ValidationTests
{
    [Fact]
    public void The_default_config_is_the_tuned_12_to_128_to_64_to_6_and_valid()
    {
        var config = new AutoencoderConfig();

        Assert.Equal(12, config.InputSize);
        Assert.Equal([128, 64], config.HiddenSizes);
        Assert.Equal(6, config.LatentSize);
        config.Validate();
    }

    [Fact]
    public void Configs_with_the_same_layer_sizes_are_equal()
    {
        Assert.Equal(new AutoencoderConfig(12, [128, 64], 6), new AutoencoderConfig());
        Assert.NotEqual(new AutoencoderConfig(12, [64, 32], 6), new AutoencoderConfig());
    }

    public static TheoryData<AutoencoderConfig, string> BadConfigs => new()
    {
        { new AutoencoderConfig(LatentSize: 0), "latent_size" },
        { new AutoencoderConfig(LatentSize: 12), "latent_size" },
        { new AutoencoderConfig(LatentSize: 13), "latent_size" },
        { new AutoencoderConfig(InputSize: 0), "input_size" },
        { new AutoencoderConfig(HiddenSizes: [64, 0]), "hidden_layer_sizes[1]" },
        { new AutoencoderConfig(HiddenSizes: [-3]), "hidden_layer_sizes[0]" },
        { new AutoencoderConfig(HiddenSizes: [4097]), "hidden_layer_sizes[0]" },
        { new AutoencoderConfig(HiddenSizes: [.. Enumerable.Repeat(8, 9)]), "hidden_layer_sizes" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void An_invalid_config_names_the_offending_field(AutoencoderConfig config, string field)
    {
        var error = Assert.Throws<InvalidInputException>(config.Validate);

        Assert.Equal(field, error.Field);
        Assert.Equal("INVALID_ARGUMENT", error.Reason);
    }

    [Fact]
    public void The_default_training_options_are_valid()
    {
        var options = new TrainingOptions();

        Assert.Equal((60, 256, 1e-3, 0.1, 0.1, 42, ComputeDevice.Cpu, 5), (options.Epochs, options.BatchSize,
            options.LearningRate, options.ValidationFraction, options.TestFraction, options.Seed, options.Device,
            options.EarlyStoppingPatience));
        Assert.Equal((0.0, LearningRateSchedule.Constant), (options.GenreWeight, options.Schedule));
        options.Validate();
    }

    public static TheoryData<TrainingOptions, string> BadOptions => new()
    {
        { new TrainingOptions(Epochs: 0), "epochs" },
        { new TrainingOptions(Epochs: 1001), "epochs" },
        { new TrainingOptions(BatchSize: 0), "batch_size" },
        { new TrainingOptions(BatchSize: 65537), "batch_size" },
        { new TrainingOptions(LearningRate: 0), "learning_rate" },
        { new TrainingOptions(LearningRate: 1.5), "learning_rate" },
        { new TrainingOptions(LearningRate: double.NaN), "learning_rate" },
        { new TrainingOptions(ValidationFraction: 0), "validation_fraction" },
        { new TrainingOptions(ValidationFraction: 1), "validation_fraction" },
        { new TrainingOptions(TestFraction: -0.1), "test_fraction" },
        { new TrainingOptions(ValidationFraction: 0.5, TestFraction: 0.5), "test_fraction" },
        { new TrainingOptions(Device: (ComputeDevice)7), "device" },
        { new TrainingOptions(EarlyStoppingPatience: -1), "early_stopping_patience" },
        { new TrainingOptions(GenreWeight: -0.1), "genre_weight" },
        { new TrainingOptions(GenreWeight: double.NaN), "genre_weight" },
        { new TrainingOptions(Schedule: (LearningRateSchedule)9), "schedule" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Invalid_training_options_name_the_offending_field(TrainingOptions options, string field)
    {
        var error = Assert.Throws<InvalidInputException>(options.Validate);

        Assert.Equal(field, error.Field);
    }

    public static TheoryData<TrainingData, string> BadData => new()
    {
        { new TrainingData(new float[24], new float[12], [], 11), "training_data.features" },
        { new TrainingData([], new float[12], [], 12), "training_data.train" },
        { new TrainingData(new float[25], new float[12], [], 12), "training_data.train" },
        { new TrainingData(new float[24], [], [], 12), "training_data.validation" },
        { new TrainingData(new float[24], new float[12], new float[5], 12), "training_data.test" },
        { new TrainingData([.. new float[23], float.NaN], new float[12], [], 12), "training_data.train" },
    };

    [Theory]
    [MemberData(nameof(BadData))]
    public void Training_data_that_does_not_fit_the_config_names_the_offending_field(TrainingData data, string field)
    {
        var error = Assert.Throws<InvalidInputException>(() => data.Validate(new AutoencoderConfig()));

        Assert.Equal(field, error.Field);
    }
}
