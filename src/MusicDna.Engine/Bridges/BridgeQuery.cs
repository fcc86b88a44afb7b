using MusicDna.Core.Errors;
using MusicDna.Core.Text;
using MusicDna.Core.Tracks;

namespace MusicDna.Engine.Bridges;

/// <summary>A bridge to lay: from track A to track B through <see cref="Steps"/> catalogue tracks.</summary>
public sealed record BridgeQuery(string FromTrackId, string ToTrackId, int Steps = BridgeQuery.DefaultSteps)
{
    public const int DefaultSteps = 5;
    public const int MaxSteps = 100;

    public void Validate()
    {
        foreach (var (id, field) in new[] { (FromTrackId, "from_track_id"), (ToTrackId, "to_track_id") })
        {
            if (ClientText.KeyProblem(id, TrackValidator.MaxTrackIdLength) is { } problem)
            {
                throw new InvalidInputException(field, problem);
            }
        }

        if (string.Equals(FromTrackId, ToTrackId, StringComparison.Ordinal))
        {
            throw new InvalidInputException("to_track_id", "must differ from from_track_id");
        }

        if (Steps is < 1 or > MaxSteps)
        {
            throw new InvalidInputException("steps", $"must be between 1 and {MaxSteps}, got {Steps}");
        }
    }
}
