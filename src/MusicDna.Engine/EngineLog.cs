using Microsoft.Extensions.Logging;

namespace MusicDna.Engine;

/// <summary>The engine's log messages, with fixed event ids (source-generated, no interpolation on the hot path).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(1000, LogLevel.Information, "No model is stored yet: Embed and Recommend answer FAILED_PRECONDITION until Train runs")]
    public static partial void NoModelYet(ILogger logger);

    [LoggerMessage(1001, LogLevel.Information, "Model {Version} index built: {Loaded} stored vectors loaded, {Embedded} tracks embedded")]
    public static partial void SnapshotBuilt(ILogger logger, long version, int loaded, int embedded);

    [LoggerMessage(1002, LogLevel.Information, "Model {Version} published and serving over {Tracks} tracks ({Removed} vectors of older models removed)")]
    public static partial void ModelPublished(ILogger logger, long version, long tracks, int removed);

    [LoggerMessage(1003, LogLevel.Information, "Training run {RunId} started on {Tracks} tracks ({TrainRows} train, {ValidationRows} validation, {TestRows} test)")]
    public static partial void TrainingStarted(ILogger logger, Guid runId, int tracks, int trainRows, int validationRows, int testRows);

    [LoggerMessage(1004, LogLevel.Information, "Training run {RunId} cancelled: nothing published")]
    public static partial void TrainingCancelled(ILogger logger, Guid runId);

    [LoggerMessage(1005, LogLevel.Information, "Recommend feed stopped by the caller after {Rows} of {Planned} rows; work on it ended")]
    public static partial void FeedAbandoned(ILogger logger, int rows, int planned);

    [LoggerMessage(1006, LogLevel.Debug, "Recommend page of {Rows} rows under model {Version}: {Examined} tracks examined, exhausted {Exhausted}")]
    public static partial void FeedServed(ILogger logger, int rows, long version, long examined, bool exhausted);

    [LoggerMessage(1007, LogLevel.Information, "Model {Version} sonic map laid out over {Points} tracks in {Milliseconds} ms")]
    public static partial void MapLaidOut(ILogger logger, long version, int points, long milliseconds);

    [LoggerMessage(1008, LogLevel.Information, "Model {Version} sonic map loaded: {Loaded} stored positions, {Placed} tracks placed by their neighbours")]
    public static partial void MapLoaded(ILogger logger, long version, int loaded, int placed);

    [LoggerMessage(1009, LogLevel.Information, "Model {Version} index loaded from its saved file: {Tracks} tracks, {Replayed} catalogue changes since the save applied")]
    public static partial void IndexLoaded(ILogger logger, long version, long tracks, int replayed);

    [LoggerMessage(1010, LogLevel.Information, "Model {Version} index built over {Tracks} tracks: {Reason}")]
    public static partial void IndexRebuilding(ILogger logger, long version, int tracks, string reason);

    [LoggerMessage(1011, LogLevel.Information, "Model {Version} index saved beside the model ({Tracks} tracks)")]
    public static partial void IndexSaved(ILogger logger, long version, long tracks);

    [LoggerMessage(1012, LogLevel.Warning, "Model {Version} index could not be saved; it serves from memory and the next start rebuilds it")]
    public static partial void IndexNotSaved(ILogger logger, long version, Exception exception);

    [LoggerMessage(1013, LogLevel.Information, "Model {Version} loaded and serving over {Tracks} tracks")]
    public static partial void ModelLoaded(ILogger logger, long version, long tracks);

    [LoggerMessage(1014, LogLevel.Information, "Following the shared catalogue from change {Position}")]
    public static partial void FollowingFrom(ILogger logger, long position);

    [LoggerMessage(1015, LogLevel.Warning, "The shared catalogue cannot be read ({Reason}); serving from memory and trying again in {Delay}")]
    public static partial void FollowPaused(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(1016, LogLevel.Information, "Caught up with the shared catalogue at change {Position} again")]
    public static partial void FollowResumed(ILogger logger, long position);

    [LoggerMessage(1017, LogLevel.Debug, "Applied changes up to {Position}: {Changed} tracks changed in memory")]
    public static partial void ChangesApplied(ILogger logger, long position, int changed);

    [LoggerMessage(1018, LogLevel.Information, "Model {Version} published by another replica: switching to it")]
    public static partial void NewerModelSeen(ILogger logger, long version);

    [LoggerMessage(1019, LogLevel.Information, "Saved indexes of model versions {Versions} removed: this replica serves model {Version}")]
    public static partial void OldIndexesRemoved(ILogger logger, string versions, long version);

    [LoggerMessage(1020, LogLevel.Warning, "Saved indexes of model versions before {Version} could not all be removed; the next model's swap tries again")]
    public static partial void OldIndexesNotRemoved(ILogger logger, long version, Exception exception);

    [LoggerMessage(1021, LogLevel.Information, "Model {Version} tracks read from their saved table: {Tracks} tracks as of catalogue revision {Revision}, in {Milliseconds} ms")]
    public static partial void TableLoaded(ILogger logger, long version, int tracks, long revision, long milliseconds);

    [LoggerMessage(1022, LogLevel.Information, "Model {Version} tracks are read from the catalogue: {Reason}")]
    public static partial void TableNotLoaded(ILogger logger, long version, string reason);

    [LoggerMessage(1023, LogLevel.Information, "Model {Version} tracks saved beside the model: {Tracks} tracks as of catalogue revision {Revision}, in {Milliseconds} ms")]
    public static partial void TableSaved(ILogger logger, long version, int tracks, long revision, long milliseconds);

    [LoggerMessage(1024, LogLevel.Warning, "Model {Version} tracks could not be saved; the next start reads them from the catalogue")]
    public static partial void TableNotSaved(ILogger logger, long version, Exception exception);

    [LoggerMessage(1025, LogLevel.Warning, "The saved tracks of model {Version}, which no longer serves, could not be removed")]
    public static partial void TableNotRemoved(ILogger logger, long version, Exception exception);
}
