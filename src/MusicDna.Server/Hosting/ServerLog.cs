namespace MusicDna.Server.Hosting;

/// <summary>The host's log messages, with fixed event ids.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(2000, LogLevel.Information, "Catalogue {Catalogue}: {Tracks} tracks, model {Version} serving")]
    public static partial void Ready(ILogger logger, string catalogue, long tracks, long version);

    [LoggerMessage(2001, LogLevel.Information, "Bootstrap: ingesting {Path} into the empty catalogue")]
    public static partial void BootstrapIngesting(ILogger logger, string path);

    [LoggerMessage(2002, LogLevel.Information, "Bootstrap: {Received} rows read, {Inserted} inserted, {Updated} updated, {Rejected} rejected")]
    public static partial void BootstrapIngested(ILogger logger, long received, long inserted, long updated, long rejected);

    [LoggerMessage(2003, LogLevel.Information, "Bootstrap: training a first model on {Tracks} tracks")]
    public static partial void BootstrapTraining(ILogger logger, long tracks);

    [LoggerMessage(2004, LogLevel.Information, "Training epoch {Epoch}/{Epochs}: train loss {TrainLoss:F5}, validation loss {ValidationLoss:F5}")]
    public static partial void TrainingEpoch(ILogger logger, int epoch, int epochs, double trainLoss, double validationLoss);

    [LoggerMessage(2005, LogLevel.Information, "Bootstrap: model {Version} serving (test MSE {TestMse:F5}); Recommend is ready")]
    public static partial void BootstrapTrained(ILogger logger, long version, double testMse);

    [LoggerMessage(2006, LogLevel.Error, "Bootstrap failed: the server keeps running with what it has")]
    public static partial void BootstrapFailed(ILogger logger, Exception exception);

    [LoggerMessage(2008, LogLevel.Warning, "Authentication is DISABLED (MusicDna:Auth:Mode=Disabled, a development flag): every caller may train and ingest")]
    public static partial void AuthDisabled(ILogger logger);

    [LoggerMessage(2009, LogLevel.Information, "Authentication by API key: {Keys} keys configured")]
    public static partial void AuthEnabled(ILogger logger, int keys);

    [LoggerMessage(2010, LogLevel.Debug, "Refused {Method}: {Code} ({Reason})")]
    public static partial void CallRefused(ILogger logger, string method, global::Grpc.Core.StatusCode code, string reason);

    [LoggerMessage(2011, LogLevel.Information, "Bootstrap: another replica is training the first model; it will be loaded when published")]
    public static partial void BootstrapTrainingElsewhere(ILogger logger);

    [LoggerMessage(2007, LogLevel.Warning, "Bootstrap catalogue {Path} does not exist: starting with an empty catalogue")]
    public static partial void BootstrapFileMissing(ILogger logger, string path);

    [LoggerMessage(2012, LogLevel.Warning, "The serving tracks were not saved at shutdown ({Reason}); the next start reads them from the catalogue")]
    public static partial void ServedTableNotSaved(ILogger logger, string reason);
}
