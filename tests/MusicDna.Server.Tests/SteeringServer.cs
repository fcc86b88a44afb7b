namespace MusicDna.Server.Tests;

/// <summary>One trained server shared by the steering, harmonic-mixing, playlist-order and bridge tests.</summary>
[CollectionDefinition(Name)]
public sealed class SteeringServer : ICollectionFixture<TrainedServerFixture>
{
    public const string Name = "Steering";
}
