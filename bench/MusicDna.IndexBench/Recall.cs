using MusicDna.Index;

namespace MusicDna.IndexBench;

internal static class Recall
{
    /// <summary>The share of the reference top-k ids found in the candidate results, over all queries.</summary>
    public static double AtK(IReadOnlyList<IReadOnlyList<SearchHit>> candidate, IReadOnlyList<IReadOnlyList<SearchHit>> reference)
    {
        long found = 0;
        long total = 0;
        for (var q = 0; q < reference.Count; q++)
        {
            var truth = reference[q].Select(hit => hit.Id).ToHashSet();
            found += candidate[q].Count(hit => truth.Contains(hit.Id));
            total += truth.Count;
        }

        return total == 0 ? 1 : (double)found / total;
    }
}
