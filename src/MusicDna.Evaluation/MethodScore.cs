namespace MusicDna.Evaluation;

/// <summary>
/// One row of the evaluation table. Null where a figure does not apply (the raw features are not trained, not
/// reconstructed and not clustered). Agreements are shares in [0, 1].
/// </summary>
/// <param name="Method">What produced the space.</param>
/// <param name="Dimensions">Width of the vectors compared.</param>
/// <param name="TrainingSeconds">Wall time of fitting the method on the training tracks.</param>
/// <param name="EpochsRun">Epochs an autoencoder ran (early stopping may end it before its limit).</param>
/// <param name="HeldOutMse">Reconstruction MSE of the held-out tracks, scaled space, mean over all features.</param>
/// <param name="Silhouettes">Silhouette of k-means clusters by k.</param>
/// <param name="GenreAgreement">Agreement@k over the seeded queries drawn from the whole catalogue.</param>
/// <param name="HeldOutAgreement">Agreement@k of queries from the held-out tracks (embedded after training).</param>
/// <param name="TrainedAgreement">Agreement@k of queries from the training tracks.</param>
/// <param name="Songs">Top-k feeds over songs (the whole-catalogue queries): repeated songs with collapsing off and on, agreement over songs.</param>
public sealed record MethodScore(
    string Method,
    int Dimensions,
    double? TrainingSeconds,
    int? EpochsRun,
    double? HeldOutMse,
    IReadOnlyDictionary<int, double> Silhouettes,
    double GenreAgreement,
    double HeldOutAgreement,
    double TrainedAgreement,
    SongFeedResult Songs)
{
    /// <summary>Held-out minus trained agreement, in percentage points.</summary>
    public double ColdStartGapPoints => (HeldOutAgreement - TrainedAgreement) * 100;
}
