using MusicDna.Contracts.V1;
using MusicDna.Engine.Bridges;

namespace MusicDna.Server.Grpc.Mapping;

/// <summary>BridgeRequest → the domain query (values checked by the domain); bridge events → contract.</summary>
internal static class BridgeMapper
{
    public static BridgeQuery ToDomain(BridgeRequest request) =>
        new(request.FromTrackId, request.ToTrackId, request.Steps == 0 ? BridgeQuery.DefaultSteps : request.Steps);

    public static BridgeResponse ToContract(BridgeEvent item) => item switch
    {
        Engine.Bridges.BridgeStep step => new BridgeResponse
        {
            Step = new Contracts.V1.BridgeStep
            {
                Position = step.Position,
                Track = TrackMapper.ToContract(step.Track),
                ScoreToFrom = step.ScoreToFrom,
                ScoreToTo = step.ScoreToTo,
                StepAngle = step.StepAngle,
            },
        },
        Engine.Bridges.BridgeEnd end => new BridgeResponse
        {
            End = new Contracts.V1.BridgeEnd
            {
                ModelVersion = end.ModelVersion,
                Returned = end.Returned,
                PathLength = end.PathLength,
                DirectAngle = end.DirectAngle,
            },
        },
        _ => throw new ArgumentOutOfRangeException(nameof(item), item.GetType().Name, "unknown bridge event"),
    };
}
