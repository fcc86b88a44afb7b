namespace MusicDna.Engine.Recommend;

/// <summary>
/// What one page's search did, counted as it goes: the tracks each stage removed, the candidates that passed every
/// filter, and whether the search ended at the <c>min_score</c> floor. Belongs to one call (not thread-safe).
/// </summary>
internal sealed class FeedDiagnostics
{
    private readonly long[] _removed = new long[RemovalStages.Count];

    public long Passed { get; private set; }

    /// <summary>True once the search reached a track below <c>min_score</c>: every track after it scores lower.</summary>
    public bool StoppedAtMinScore { get; set; }

    public void Remove(RemovalStage stage, long count = 1) => _removed[(int)stage] += count;

    public void Pass() => Passed++;

    public long Removed(RemovalStage stage) => _removed[(int)stage];

    /// <summary>Every stage that removed something, in check order.</summary>
    public IReadOnlyList<FilterRemoval> Removals()
    {
        // Stages are numbered 0..Count-1 in check order; most pages remove nothing or at one stage.
        List<FilterRemoval>? removals = null;
        for (var stage = 0; stage < _removed.Length; stage++)
        {
            if (_removed[stage] > 0)
            {
                (removals ??= []).Add(new FilterRemoval(((RemovalStage)stage).Name(), _removed[stage]));
            }
        }

        return removals ?? [];
    }

    /// <summary>
    /// For a short page: <c>min_score</c> when the floor ended the search, else the stage (seeds aside) that removed
    /// the most tracks, earlier stages winning ties, else "catalogue" (it simply holds no more). Empty for a full page.
    /// </summary>
    public string LimitedBy(bool shortPage)
    {
        if (!shortPage)
        {
            return "";
        }

        if (StoppedAtMinScore)
        {
            return RemovalStage.MinScore.Name();
        }

        var most = Enum.GetValues<RemovalStage>()
            .Where(s => s != RemovalStage.Seed && _removed[(int)s] > 0)
            .OrderByDescending(s => _removed[(int)s])
            .ThenBy(s => s)
            .Select(s => (RemovalStage?)s)
            .FirstOrDefault();
        return most?.Name() ?? "catalogue";
    }
}
