using MusicDna.Core.Errors;

namespace MusicDna.Model.Tests;

[Collection(TorchTests.Name)]
public sealed class TrainedAutoencoderTests(TrainedModelFixture fixture) : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("musicdna-model-");

    [Fact]
    public void Encode_returns_rows_times_latent_size_values_and_the_same_values_every_time()
    {
        var rows = fixture.Data.TestRows;

        var first = fixture.Model.Encode(fixture.Data.Test, rows);
        var second = fixture.Model.Encode(fixture.Data.Test, rows);

        Assert.Equal(rows * 6, first.Length);
        Assert.Equal(first, second);
        Assert.All(first, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Encoding_a_row_alone_gives_the_same_code_as_encoding_it_in_a_batch()
    {
        var batch = fixture.Model.Encode(fixture.Data.Test, fixture.Data.TestRows);

        var third = fixture.Model.Encode(fixture.Data.Test.AsSpan(2 * 12, 12), 1);

        Assert.Equal(batch.AsSpan(2 * 6, 6).ToArray(), third, (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public void Reconstruct_returns_rows_times_input_size_values_in_the_unit_interval()
    {
        var reconstructed = fixture.Model.Reconstruct(fixture.Data.Test, fixture.Data.TestRows);

        Assert.Equal(fixture.Data.Test.Length, reconstructed.Length);
        Assert.All(reconstructed, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Zero_rows_encode_to_an_empty_array()
    {
        Assert.Empty(fixture.Model.Encode([], 0));
    }

    [Fact]
    public void A_span_that_is_not_rows_times_features_long_is_rejected_naming_the_features()
    {
        var error = Assert.Throws<InvalidInputException>(() => fixture.Model.Encode(new float[13], 1));

        Assert.Equal("features", error.Field);
    }

    [Fact]
    public void Save_then_Load_gives_identical_encodings_and_the_same_config()
    {
        var path = Path.Combine(directory.FullName, "weights.bin");
        fixture.Model.Save(path);

        using var loaded = TrainedAutoencoder.Load(path, fixture.Model.Config);

        Assert.Equal(fixture.Model.Config, loaded.Config);
        Assert.Equal(
            fixture.Model.Encode(fixture.Data.Test, fixture.Data.TestRows),
            loaded.Encode(fixture.Data.Test, fixture.Data.TestRows));
    }

    [Fact]
    public void Loading_weights_into_a_different_shape_fails()
    {
        var path = Path.Combine(directory.FullName, "weights.bin");
        fixture.Model.Save(path);

        Assert.ThrowsAny<Exception>(() => TrainedAutoencoder.Load(path, new AutoencoderConfig(HiddenSizes: [16])));
    }

    [Fact]
    public void Concurrent_Encode_from_several_threads_gives_the_single_threaded_results()
    {
        var rows = fixture.Data.TestRows;
        var expected = fixture.Model.Encode(fixture.Data.Test, rows);

        var results = new float[8 * 25][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            results[i] = fixture.Model.Encode(fixture.Data.Test, rows));

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public async Task Dispose_while_other_threads_encode_lets_their_calls_finish_or_throw_ObjectDisposedException()
    {
        var path = Path.Combine(directory.FullName, "weights.bin");
        fixture.Model.Save(path);
        var model = TrainedAutoencoder.Load(path, fixture.Model.Config);
        var expected = model.Encode(fixture.Data.Test, fixture.Data.TestRows);
        using var started = new CountdownEvent(4);

        // Dedicated threads: four busy pool threads on a 2-core box would starve this test's own continuation.
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
        {
            started.Signal();
            var completed = 0;
            while (true)
            {
                try
                {
                    Assert.Equal(expected, model.Encode(fixture.Data.Test, fixture.Data.TestRows));
                    completed++;
                }
                catch (ObjectDisposedException)
                {
                    return completed;
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        started.Wait();
        await Task.Delay(50);
        model.Dispose();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Throws<ObjectDisposedException>(() => model.Encode(fixture.Data.Test, fixture.Data.TestRows));
    }

    public void Dispose() => directory.Delete(recursive: true);
}
