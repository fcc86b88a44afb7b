using MusicDna.Core.Errors;
using MusicDna.Core.Features;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MusicDna.Model;

/// <summary>
/// Trains an <see cref="Autoencoder"/> with Adam on mean squared reconstruction error, plus, when the options give a
/// genre weight and the data genre labels, that weight × a supervised-contrastive term (SupCon, Khosla et al. 2020)
/// on the L2-normalised latent codes of each batch: it pulls tracks of one genre together in exactly the cosine
/// space the index searches. Validation loss, early stopping and the reported test MSE are reconstruction error
/// alone. Deterministic on the CPU: the weights come from torch.manual_seed(seed) and the batch order from a Random
/// seeded the same way, so the same data, options and seed give the same losses bit for bit.
/// </summary>
public sealed class AutoencoderTrainer(TimeProvider timeProvider)
{
    // Scaled mode is exactly 0 (minor) or 1 (major): Yeo-Johnson and min-max keep a binary column's two values apart.
    private static readonly int ModeColumn = FeatureSchema.Names.IndexOf("mode");

    // Evaluation runs in chunks so a large validation or test set never needs one huge activation tensor.
    private const int EvaluationChunkRows = 16384;

    public AutoencoderTrainer()
        : this(TimeProvider.System)
    {
    }

    public TrainingResult Train(
        AutoencoderConfig config,
        TrainingOptions options,
        TrainingData data,
        IProgress<EpochProgress>? progress,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        config.Validate();
        options.Validate();
        data.Validate(config);
        ct.ThrowIfCancellationRequested();

        var device = DeviceSelector.Select(options.Device);
        var started = timeProvider.GetTimestamp();
        Autoencoder model;
        lock (TorchRuntime.SeedGate)
        {
            torch.manual_seed(options.Seed);
            model = new Autoencoder(config);
        }

        try
        {
            model.to(device);
            var (testMse, bestValidation, epochsRun) = Fit(model, options, data, device, progress, started, ct);
            return new TrainingResult(
                new TrainedAutoencoder(model), testMse, bestValidation, epochsRun, data.TrainRows, timeProvider.GetElapsedTime(started));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private (double TestMse, double BestValidation, int EpochsRun) Fit(
        Autoencoder model,
        TrainingOptions options,
        TrainingData data,
        Device device,
        IProgress<EpochProgress>? progress,
        long started,
        CancellationToken ct)
    {
        var features = data.Features;
        var rows = data.TrainRows;
        using var train = tensor(data.Train, [rows, features], device: device);
        using var validation = tensor(data.Validation, [data.ValidationRows, features], device: device);
        var genreTerm = options.GenreWeight > 0 && data.TrainGenres is not null;
        using var genres = genreTerm ? tensor(ContrastClasses(data), device: device) : null;
        using var flat = new FlatParameters(model);
        using var optimizer = new FlatAdam(flat, options.LearningRate);
        var stepsPerEpoch = (rows + options.BatchSize - 1) / options.BatchSize;
        var schedule = new StepSchedule(options, (long)options.Epochs * stepsPerEpoch);
        using var best = new WeightSnapshot(model);
        using var reconstruction = genreTerm ? null : new ReconstructionStep(model, options.BatchSize);
        using var step = new Objective(model, reconstruction, genres, options.GenreWeight, options.GenreTemperature);

        var shuffler = new Random(options.Seed);
        var order = new long[rows];
        for (var i = 0; i < rows; i++)
        {
            order[i] = i;
        }

        var bestValidation = double.PositiveInfinity;
        var epochsWithoutImprovement = 0;
        var epochsRun = 0;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            ct.ThrowIfCancellationRequested();
            shuffler.Shuffle(order);
            var trainLoss = RunEpoch(step, optimizer, schedule, train, order, options.BatchSize, device, ct);
            var validationLoss = Evaluate(model, validation);
            epochsRun = epoch;

            if (validationLoss < bestValidation)
            {
                bestValidation = validationLoss;
                epochsWithoutImprovement = 0;
                best.Capture(model);
            }
            else
            {
                epochsWithoutImprovement++;
            }

            progress?.Report(new EpochProgress(epoch, options.Epochs, trainLoss, validationLoss, timeProvider.GetElapsedTime(started)));
            if (options.EarlyStoppingPatience > 0 && epochsWithoutImprovement >= options.EarlyStoppingPatience)
            {
                break;
            }
        }

        // NaN never compares as an improvement, so a run whose every epoch diverged has no best weights to keep.
        if (double.IsPositiveInfinity(bestValidation))
        {
            throw new PreconditionFailedException(
                "TRAINING_DIVERGED",
                "Validation loss was not a finite number in any epoch; lower learning_rate or check the data's scaling.");
        }

        best.Restore(model);
        double testMse;
        if (data.TestRows > 0)
        {
            using var test = tensor(data.Test, [data.TestRows, features], device: device);
            testMse = Evaluate(model, test);
        }
        else
        {
            testMse = Evaluate(model, validation);
        }

        return (testMse, bestValidation, epochsRun);
    }

    /// <summary>
    /// The class each training row is contrasted by: its genre, split by mode (major/minor) when the rows are the 12
    /// audio features. Mode is the raw space's sharpest split, so neighbours in it never cross modes; pulling a
    /// genre's major and minor tracks together would blur the latent space's two clear lobes for no neighbourhood
    /// gain (silhouette k=5 0.29 → 0.32 at equal genre agreement in the experiments of docs/model.md).
    /// </summary>
    private static long[] ContrastClasses(TrainingData data)
    {
        var genres = data.TrainGenres!;
        var classes = new long[genres.Count];
        var splitByMode = data.Features == FeatureSchema.Count;
        for (var row = 0; row < classes.Length; row++)
        {
            var major = splitByMode && data.Train[(row * data.Features) + ModeColumn] > 0.5f ? 1 : 0;
            classes[row] = splitByMode ? (genres[row] * 2L) + major : genres[row];
        }

        return classes;
    }

    /// <summary>One pass over the shuffled rows; returns the mean training loss (the whole objective) per row.</summary>
    private static double RunEpoch(
        Objective objective,
        FlatAdam optimizer,
        StepSchedule schedule,
        Tensor train,
        long[] order,
        int batchSize,
        Device device,
        CancellationToken ct)
    {
        objective.Train();
        using var permutation = tensor(order, device: device);

        // Summed on the device and read once per epoch: reading each batch's loss would stall a GPU every step.
        using var lossSum = zeros(1, ScalarType.Float64, device);
        for (long start = 0; start < order.Length; start += batchSize)
        {
            ct.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var length = Math.Min(batchSize, order.Length - start);
            var rows = permutation.narrow(0, start, length);
            var loss = objective.LossWithGradients(train.index_select(0, rows), rows, optimizer);
            optimizer.LearningRate = schedule.Next();
            optimizer.Step();
            using var rowCount = ((double)length).ToScalar();
            lossSum.add_(loss.detach(), rowCount);
        }

        return lossSum.item<double>() / order.Length;
    }

    /// <summary>
    /// The training objective for one batch: reconstruction MSE, plus the weighted genre term when there is one.
    /// Reconstruction alone takes the hand-written backward pass; the genre term goes through autograd. The
    /// Scalars the genre term needs live as long as the objective (a temporary one could be finalised while
    /// libtorch reads it; see FlatAdam).
    /// </summary>
    private sealed class Objective(
        Autoencoder model, ReconstructionStep? reconstructionOnly, Tensor? genres, double genreWeight, double temperature)
        : IDisposable
    {
        private readonly Scalar weight = genreWeight.ToScalar();
        private readonly Scalar temperatureScalar = temperature.ToScalar();

        // A row is never its own candidate: a large negative logit, not -inf, keeps the gradient finite.
        private readonly Scalar selfLogit = (-1e9).ToScalar();
        private readonly Scalar zero = 0.ToScalar();
        private readonly Scalar one = 1.ToScalar();

        public void Train() => model.train();

        /// <summary>The batch's loss, with its gradient in every parameter's gradient tensor.</summary>
        public Tensor LossWithGradients(Tensor batch, Tensor rowIndexes, FlatAdam optimizer)
        {
            if (reconstructionOnly is not null)
            {
                // Overwrites every gradient, so there is nothing to zero first.
                return reconstructionOnly.Run(batch);
            }

            optimizer.ZeroGradients();
            var loss = Loss(batch, rowIndexes);
            loss.backward();
            return loss;
        }

        public void Dispose()
        {
            weight.Dispose();
            temperatureScalar.Dispose();
            selfLogit.Dispose();
            zero.Dispose();
            one.Dispose();
        }

        private Tensor Loss(Tensor batch, Tensor rowIndexes)
        {
            var latent = model.Encode(batch);
            var reconstruction = functional.mse_loss(model.Decode(latent), batch);
            if (genres is null)
            {
                return reconstruction;
            }

            return reconstruction.add(SupervisedContrastive(latent, genres.index_select(0, rowIndexes)), weight);
        }

        /// <summary>
        /// For each row with another row of its genre in the batch: minus the mean log-probability, under a softmax
        /// over the cosine similarities to every other row / temperature, of the rows that share its genre.
        /// </summary>
        private Tensor SupervisedContrastive(Tensor latent, Tensor labels)
        {
            var rows = latent.shape[0];
            var unit = functional.normalize(latent, p: 2, dim: 1);
            using var self = eye(rows, dtype: ScalarType.Bool, device: latent.device);
            var logits = unit.matmul(unit.t()).div(temperatureScalar).masked_fill(self, selfLogit);
            var logProbability = logits - logits.logsumexp(1, keepdim: true);
            var positives = labels.unsqueeze(1).eq(labels.unsqueeze(0)).logical_and(self.logical_not());
            var positiveCount = positives.sum(1, type: ScalarType.Float32);
            var hasPositive = positiveCount.gt(zero);
            if (!hasPositive.any().item<bool>())
            {
                return zeros(1, device: latent.device).sum();
            }

            var perRow = logProbability.mul(positives).sum(1).div(positiveCount.clamp_min(one));
            return perRow.masked_select(hasPositive).mean().neg();
        }
    }

    /// <summary>Mean squared error per element over all rows of <paramref name="rows"/>, in eval mode.</summary>
    private static double Evaluate(Autoencoder model, Tensor rows)
    {
        model.eval();
        using var noGrad = no_grad();
        var count = rows.shape[0];
        var sum = 0.0;
        for (long start = 0; start < count; start += EvaluationChunkRows)
        {
            using var scope = NewDisposeScope();
            var chunk = rows.narrow(0, start, Math.Min(EvaluationChunkRows, count - start));
            var output = model.forward(chunk);
            sum += functional.mse_loss(output, chunk, Reduction.Sum).to_type(ScalarType.Float64).item<double>();
        }

        return sum / (count * rows.shape[1]);
    }
}
