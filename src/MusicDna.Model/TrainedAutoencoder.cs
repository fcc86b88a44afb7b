using MusicDna.Core.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace MusicDna.Model;

/// <summary>
/// A trained autoencoder ready for inference: eval mode, on the CPU, weights never changed again.
/// Encode and Reconstruct may be called from many threads at once: they only read the weights, and libtorch's
/// grad mode and TorchSharp's dispose scopes are per thread (the concurrency test checks results match).
/// Dispose is safe while calls are in flight: the native model is freed when the last of them returns, the way
/// SafeHandle counts its users, so a serving snapshot can be swapped out and disposed at any time.
/// </summary>
public sealed class TrainedAutoencoder : IDisposable
{
    private readonly Autoencoder model;
    private int users;
    private int disposeRequested;
    private int released;

    /// <summary>Takes ownership of <paramref name="model"/>: moves it to the CPU and into eval mode.</summary>
    internal TrainedAutoencoder(Autoencoder model)
    {
        model.to(CPU);
        model.eval();
        this.model = model;
    }

    public AutoencoderConfig Config => model.Config;

    /// <summary>Latent codes for <paramref name="rows"/> scaled rows: rows × LatentSize floats, row-major.</summary>
    public float[] Encode(ReadOnlySpan<float> scaledRowMajor, int rows) =>
        Run(scaledRowMajor, rows, Config.LatentSize, static (m, x) => m.Encode(x));

    /// <summary>Reconstructed scaled rows: rows × InputSize floats, row-major.</summary>
    public float[] Reconstruct(ReadOnlySpan<float> scaledRowMajor, int rows) =>
        Run(scaledRowMajor, rows, Config.InputSize, static (m, x) => m.forward(x));

    /// <summary>Writes the weights with TorchSharp's module format; the shape lives in the manifest beside it.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Enter();
        try
        {
            model.save(path);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Reads weights written by <see cref="Save"/> into a model of shape <paramref name="config"/>.</summary>
    public static TrainedAutoencoder Load(string path, AutoencoderConfig config)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(config);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("Model weights not found.", path);
        }

        TorchRuntime.EnsureConfigured();
        Autoencoder model;
        lock (TorchRuntime.SeedGate)
        {
            // Initialisation draws from the global generator; keep it out of a training's seeded stream.
            model = new Autoencoder(config);
        }

        try
        {
            model.load(path, strict: true);
            return new TrainedAutoencoder(model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref disposeRequested, 1);
        if (Volatile.Read(ref users) == 0)
        {
            Release();
        }
    }

    private float[] Run(ReadOnlySpan<float> input, int rows, int outputWidth, Func<Autoencoder, Tensor, Tensor> step)
    {
        var width = Config.InputSize;
        if (rows < 0)
        {
            throw new InvalidInputException("rows", $"must not be negative, got {rows}");
        }

        if ((long)rows * width != input.Length)
        {
            throw new InvalidInputException(
                "features", $"expected {rows} rows × {width} features = {(long)rows * width} values, got {input.Length}");
        }

        if (rows == 0)
        {
            return [];
        }

        Enter();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var x = tensor(input.ToArray(), [rows, width]);
            var y = step(model, x);
            return y.data<float>().ToArray();
        }
        finally
        {
            Exit();
        }
    }

    // Increment before checking the flag and Dispose sets the flag before checking the count (both full fences),
    // so either the caller sees the flag and backs out, or Dispose sees the caller and leaves the release to it.
    private void Enter()
    {
        Interlocked.Increment(ref users);
        if (Volatile.Read(ref disposeRequested) != 0)
        {
            Exit();
            throw new ObjectDisposedException(nameof(TrainedAutoencoder));
        }
    }

    private void Exit()
    {
        if (Interlocked.Decrement(ref users) == 0 && Volatile.Read(ref disposeRequested) != 0)
        {
            Release();
        }
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
        {
            model.Dispose();
        }
    }
}
