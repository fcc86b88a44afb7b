namespace MusicDna.Model.Tests;

/// <summary>
/// Every test that touches libtorch runs in this one collection, one at a time: libtorch's seed and thread count
/// are process-wide, and parallel native tests would make timings and reproducibility checks meaningless.
/// The collection shares one trained model (<see cref="TrainedModelFixture"/>).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchTests : ICollectionFixture<TrainedModelFixture>
{
    public const string Name = "Torch";
}
