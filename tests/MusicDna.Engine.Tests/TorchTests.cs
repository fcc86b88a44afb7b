namespace MusicDna.Engine.Tests;

/// <summary>
/// The tests that need a <see cref="Snapshots.ModelSnapshot"/> (and so libtorch) run in this one collection, one at a
/// time: libtorch's seed and thread count are process-wide. They share one small trained model.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchTests : ICollectionFixture<SnapshotFixture>
{
    public const string Name = "Torch";
}
