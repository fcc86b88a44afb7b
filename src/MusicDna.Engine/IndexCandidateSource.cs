using MusicDna.Index;

namespace MusicDna.Engine;

/// <summary>
/// Pages through the exact FAISS search of one query vector with a doubling depth, filtering hits as they come,
/// until enough qualify or the index is exhausted. Exact search returns the same best-first order at every depth,
/// so each deeper page only adds to the previous one; once the depth passes half the index, one full-depth search
/// costs less than doubling twice more.
/// </summary>
internal sealed class IndexCandidateSource(VectorIndex index, TrackTable tracks, float[] query, CandidateFilter filter, int expected)
    : CandidateSource
{
    private const int MinimumDepth = 64;

    private readonly HashSet<long> _seen = [];
    private IReadOnlyList<SearchHit> _hits = [];
    private int _position;
    private int _depth;
    private bool _complete;

    /// <summary>FAISS searches run so far (for the measurements in docs/recommend.md).</summary>
    public int Searches { get; private set; }

    public override bool TryNext(CancellationToken cancellationToken, out Candidate candidate)
    {
        while (true)
        {
            while (_position < _hits.Count)
            {
                var hit = _hits[_position++];
                if (!_seen.Add(hit.Id))
                {
                    continue;
                }

                Examined++;
                if (tracks.TryGet(hit.Id, out var facts) && filter.Matches(hit.Id, facts))
                {
                    candidate = new Candidate(hit.Id, hit.Score, facts);
                    return true;
                }
            }

            if (_complete)
            {
                candidate = default;
                return false;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var count = (int)Math.Min(index.Count, int.MaxValue);
            _depth = _depth == 0 ? Math.Max(MinimumDepth, 2 * (expected + filter.KnownExclusions)) : 2 * _depth;
            if (_depth > count / 2)
            {
                _depth = Math.Max(count, 1);
            }

            _hits = index.Search(query, _depth);
            Searches++;
            _complete = _hits.Count < _depth || _depth >= count;

            // Re-read from the top: float ties at the old depth's edge may come back in another order; _seen skips
            // what was already taken.
            _position = 0;
        }
    }
}
