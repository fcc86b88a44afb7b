using MusicDna.Core.Errors;
using MusicDna.Core.Text;
using MusicDna.Core.Tracks;

namespace MusicDna.Engine.Playlists;

/// <summary>A playlist to reorder for flow and what the flow should respect. <see cref="Validate"/> names the field.</summary>
public sealed record PlaylistOrderQuery
{
    public const int MinTracks = 2;
    public const int MaxTracks = 500;
    public const double DefaultArcWeight = 1;
    public const double MaxArcWeight = 10;

    public required IReadOnlyList<string> TrackIds { get; init; }

    public bool KeyCompatible { get; init; }

    public bool TempoNear { get; init; }

    public EnergyArcShape EnergyArc { get; init; }

    /// <summary>As requested; null = <see cref="DefaultArcWeight"/>.</summary>
    public double? ArcWeight { get; init; }

    public double EffectiveArcWeight => EnergyArc == EnergyArcShape.None ? 0 : ArcWeight ?? DefaultArcWeight;

    public void Validate()
    {
        if (TrackIds.Count is < MinTracks or > MaxTracks)
        {
            throw new InvalidInputException("track_ids", $"must hold {MinTracks} to {MaxTracks} track ids, got {TrackIds.Count}");
        }

        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < TrackIds.Count; i++)
        {
            if (ClientText.KeyProblem(TrackIds[i], TrackValidator.MaxTrackIdLength) is { } problem)
            {
                throw new InvalidInputException($"track_ids[{i}]", problem);
            }

            if (!first.TryAdd(TrackIds[i], i))
            {
                throw new InvalidInputException($"track_ids[{i}]", $"repeats track_ids[{first[TrackIds[i]]}]: each track once");
            }
        }

        if (ArcWeight is { } weight)
        {
            if (EnergyArc == EnergyArcShape.None)
            {
                throw new InvalidInputException("arc_weight", "applies only with energy_arc");
            }

            if (!double.IsFinite(weight) || weight <= 0 || weight > MaxArcWeight)
            {
                throw new InvalidInputException("arc_weight", $"must be greater than 0 and at most {MaxArcWeight}, got {weight}");
            }
        }
    }
}
