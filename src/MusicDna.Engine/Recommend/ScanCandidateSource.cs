using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// Scores every catalogue track that passes the filter (a full pass over the in-memory facts), then hands them
/// out best first. For scores no single index query can rank, such as the best-score strategy.
/// </summary>
internal sealed class ScanCandidateSource(
    TrackTable tracks, Func<float[], float> score, CandidateFilter filter, IReadOnlySet<long>? alreadyTaken = null) : CandidateSource
{
    private const int CancellationCheckInterval = 4096;

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
        foreach (var (rowId, facts) in tracks.Rows)
        {
            if (++Examined % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (filter.Matches(rowId, facts) && alreadyTaken?.Contains(rowId) != true)
            {
                ranked.Add(new Candidate(rowId, score(facts.Vector), facts));
            }
        }

        // Best first; row id breaks ties so a feed's order is stable from call to call.
        ranked.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.RowId.CompareTo(b.RowId));
        return ranked;
    }
}
