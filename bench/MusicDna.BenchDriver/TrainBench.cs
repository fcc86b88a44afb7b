using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using MusicDna.Contracts.V1;

namespace MusicDna.BenchDriver;

/// <summary>
/// The default Train (an empty request: every option the server's default). Throughput is measured on the steady
/// epochs, from the end of epoch 1 to the end of the last, so reading the catalogue and fitting the pipeline (before
/// epoch 1) are left out; each epoch includes its validation pass, as the PyTorch peer's does. Time to quality is the
/// trainer's elapsed time at the end of the first epoch whose validation MSE is within 5 % of the best epoch's, the
/// peer's definition.
/// </summary>
internal static class TrainBench
{
    private const double QualityMargin = 1.05;

    public static async Task<int> RunAsync(BenchArguments arguments, CancellationToken ct)
    {
        using var channel = GrpcChannel.ForAddress(arguments.Get("address"));
        var client = new MusicDnaService.MusicDnaServiceClient(channel);
        var request = new TrainRequest();
        var epochs = arguments.GetInt("epochs", 0);
        if (epochs > 0)
        {
            request.Epochs = epochs;
        }

        var clock = Stopwatch.StartNew();
        var elapsed = new List<double>();
        var validationLosses = new List<double>();
        ModelSummary? model = null;
        using var call = client.Train(request, cancellationToken: ct);
        await foreach (var message in call.ResponseStream.ReadAllAsync(ct))
        {
            if (message.Progress is { } progress)
            {
                elapsed.Add(progress.Elapsed.ToTimeSpan().TotalSeconds);
                validationLosses.Add(progress.ValidationLoss);
            }
            else
            {
                model = message.Model;
            }
        }

        var wall = clock.Elapsed.TotalSeconds;
        if (model is null || elapsed.Count < 2)
        {
            throw new InvalidOperationException("Train ended without a model or with fewer than 2 epochs.");
        }

        var steadySeconds = elapsed[^1] - elapsed[0];
        var bestValidation = validationLosses.Min();
        var qualityEpoch = validationLosses.FindIndex(loss => loss <= bestValidation * QualityMargin);
        return BenchResult.Print(new Dictionary<string, object>
        {
            ["rows_used"] = model.RowsUsed,
            ["tracks"] = model.TracksIndexed,
            ["epochs_run"] = model.EpochsRun,
            ["steady_epochs"] = elapsed.Count - 1,
            ["steady_seconds"] = steadySeconds,
            ["samples_per_s"] = model.RowsUsed * (elapsed.Count - 1) / steadySeconds,
            ["duration_s"] = model.Duration.ToTimeSpan().TotalSeconds,
            ["call_seconds"] = wall,
            ["model_version"] = model.ModelVersion,
            ["test_mse"] = model.TestMse,
            ["best_validation_loss"] = bestValidation,
            ["time_to_quality_s"] = elapsed[qualityEpoch],
        });
    }
}
