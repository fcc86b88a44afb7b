using TorchSharp;

namespace MusicDna.Model;

/// <summary>
/// Process-wide libtorch settings. Intra-op threads default to one: on the 2-core dev box the default model trained
/// faster at batch 256 on one thread than on two (each op is too small to split, and a second thread fights the
/// server's own threads and FAISS; docs/benchmarks.md), and one thread keeps losses identical on machines with
/// different core counts. libtorch passes the count on to MKL, its BLAS, so no other pool spins up.
/// </summary>
public static class TorchRuntime
{
    public const int DefaultIntraOpThreads = 1;

    private static readonly Lock Gate = new();
    private static int? intraOpThreads;

    /// <summary>
    /// Serialises torch.manual_seed + weight initialisation: both use libtorch's global generator, so two
    /// trainings seeding at once would otherwise draw from each other's stream and lose reproducibility.
    /// </summary>
    internal static Lock SeedGate { get; } = new();

    /// <summary>The intra-op thread count in force (after the first use of the model library).</summary>
    public static int IntraOpThreads
    {
        get
        {
            EnsureConfigured();
            return torch.get_num_threads();
        }
    }

    internal static void EnsureConfigured()
    {
        lock (Gate)
        {
            if (intraOpThreads is null)
            {
                torch.set_num_threads(DefaultIntraOpThreads);
                intraOpThreads = DefaultIntraOpThreads;
            }
        }
    }
}
