using MusicDna.Core.Errors;
using MusicDna.Core.Text;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Deletes;

/// <summary>
/// DeleteTracks: checks the ids, then removes the tracks durably from the catalogue and from the serving index at
/// once (other replicas follow through the shared catalogue's change feed). All or nothing: an id not in the
/// catalogue fails the call with NOT_FOUND and deletes nothing, unless missing ids are allowed (a retried delete).
/// </summary>
public sealed class TrackDeleter(ServingPublisher publisher, EngineCounters counters)
{
    public const int MaxTrackIds = 10_000;

    public async Task<DeleteSummary> DeleteAsync(IReadOnlyList<string> trackIds, bool allowMissing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trackIds);
        if (trackIds.Count == 0)
        {
            throw new InvalidInputException("track_ids", "name at least one track id");
        }

        if (trackIds.Count > MaxTrackIds)
        {
            throw new InvalidInputException("track_ids", $"at most {MaxTrackIds} track ids per call, got {trackIds.Count}");
        }

        for (var i = 0; i < trackIds.Count; i++)
        {
            var id = trackIds[i];
            if (string.IsNullOrEmpty(id) || id.Length > TrackValidator.MaxTrackIdLength || ClientText.HasControlCharacters(id))
            {
                throw new InvalidInputException(
                    $"track_ids[{i}]", $"must be 1 to {TrackValidator.MaxTrackIdLength} characters without control characters");
            }
        }

        var outcome = await publisher.DeleteAsync(trackIds, allowMissing, cancellationToken).ConfigureAwait(false);
        if (outcome.MissingTrackIds.Count > 0 && !allowMissing)
        {
            throw new NotFoundException("track", string.Join(", ", outcome.MissingTrackIds), "TRACK_NOT_FOUND");
        }

        counters.Deleted(outcome.Deleted);
        return new DeleteSummary(outcome.Deleted, outcome.MissingTrackIds, publisher.ServingVersion);
    }
}
