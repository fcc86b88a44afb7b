using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// Scores every catalogue track that passes the filter (a full pass over the in-memory facts), then hands them
/// out best first. For scores no single index query can rank, such as the best-score strategy. With
/// <c>min_score</c>, every track is scored first and those below the floor are counted under it (the stage checked
/// first); without, the filter runs first and only the tracks that pass are scored.
/// </summary>
internal sealed class ScanCandidateSource(
    TrackTable tracks,
    ScanCandidateSource.Scorer score,
    CandidateFilter filter,
    double? minScore,
    FeedDiagnostics diagnostics,
    IReadOnlySet<long>? alreadyTaken = null) : CandidateSource
{
    private const int CancellationCheckInterval = 4096;

    /// <summary>A unit vector's score under the search's seeds, and the cosine it came from.</summary>
    public delegate (float Score, float Cosine) Scorer(ReadOnlySpan<float> unitVector);

    private List<Candidate>? _ranked;
    private int _position;

    public override bool TryNext(CancellationToken cancellationToken, out Candidate candidate)
    {
        _ranked ??= Rank(cancellationToken);
        if (_position < _ranked.Count)
        {
            candidate = _ranked[_position++];
            return true;
        }

        candidate = default;
        return false;
    }

    private List<Candidate> Rank(CancellationToken cancellationToken)
    {
        var ranked = new List<Candidate>();
        var visited = 0L;
        foreach (var (rowId, facts) in tracks.Rows)
        {
            if (++visited % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (alreadyTaken?.Contains(rowId) == true)
            {
                continue;
            }

            Examined++;
            if (minScore is { } floor)
            {
                var scored = score(facts.Vector);
                if (scored.Score < floor)
                {
                    diagnostics.Remove(RemovalStage.MinScore);
                    diagnostics.StoppedAtMinScore = true;
                }
                else if (filter.Matches(rowId, facts))
                {
                    ranked.Add(new Candidate(rowId, scored.Score, scored.Cosine, facts));
                }
            }
            else if (filter.Matches(rowId, facts))
            {
                var scored = score(facts.Vector);
                ranked.Add(new Candidate(rowId, scored.Score, scored.Cosine, facts));
            }
        }

        // Best first; row id breaks ties so a feed's order is stable from call to call.
        ranked.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.RowId.CompareTo(b.RowId));
        return ranked;
    }
}
