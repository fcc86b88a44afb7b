using MusicDna.Contracts.V1;
using MusicDna.Core.Errors;
using MusicDna.Engine.Playlists;

namespace MusicDna.Server.Grpc.Mapping;

/// <summary>OrderPlaylistRequest → the domain query (values checked by the domain); the ordered playlist → contract.</summary>
internal static class PlaylistMapper
{
    public static PlaylistOrderQuery ToDomain(OrderPlaylistRequest request) => new()
    {
        TrackIds = [.. request.TrackIds],
        KeyCompatible = request.KeyCompatible,
        TempoNear = request.TempoNear,
        EnergyArc = request.EnergyArc switch
        {
            EnergyArc.Unspecified => EnergyArcShape.None,
            EnergyArc.Rising => EnergyArcShape.Rising,
            EnergyArc.Falling => EnergyArcShape.Falling,
            EnergyArc.Peak => EnergyArcShape.Peak,
            _ => throw new InvalidInputException("energy_arc", $"unknown value {(int)request.EnergyArc}"),
        },
        ArcWeight = request.ArcWeight == 0 ? null : request.ArcWeight,
    };

    public static OrderPlaylistResponse ToContract(PlaylistOrder order) => new()
    {
        ModelVersion = order.ModelVersion,
        Tracks = { order.Tracks.Select(TrackMapper.ToContract) },
        PathLengthBefore = order.PathLengthBefore,
        PathLengthAfter = order.PathLengthAfter,
        LowerBound = order.LowerBound,
        CostBefore = order.CostBefore,
        CostAfter = order.CostAfter,
        KeyClashes = order.KeyClashes,
    };
}
