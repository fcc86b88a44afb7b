namespace MusicDna.Index.Tests;

/// <summary>Tests that call the FAISS shim run one at a time: OpenMP and FAISS state is process-wide.</summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class NativeTests
{
    public const string Collection = "FAISS native shim";
}
