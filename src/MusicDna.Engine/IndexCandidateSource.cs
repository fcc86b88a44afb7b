using MusicDna.Index;

namespace MusicDna.Engine;

/// <summary>
/// Pages through the exact FAISS search of one query vector with a doubling depth, filtering hits as they come,
/// until enough qualify or the index is exhausted. Exact search returns the same best-first order at every depth,
/// so each deeper page only adds to the previous one. A filter strict enough to push the depth past 1/16 of the
/// catalogue switches to a filter-first scan of the in-memory facts, scoring only the tracks that qualify: measured
/// on the 89,741-track catalogue, a 0.18 % genre at k = 100 took 155 ms (median) by doubling alone, 40 ms this way
/// (docs/recommend.md).
/// </summary>
internal sealed class IndexCandidateSource(VectorIndex index, TrackTable tracks, float[] query, CandidateFilter filter, int expected)
    : CandidateSource
{
    private const int MinimumDepth = 64;
    private const int ScanFraction = 16;

    private readonly HashSet<long> _seen = [];
    private IReadOnlyList<SearchHit> _hits = [];
    private int _position;
    private int _depth;
    private bool _complete;
    private ScanCandidateSource? _scan;
    private long _scanBase;

    /// <summary>FAISS searches run so far (for the measurements in docs/recommend.md).</summary>
    public int Searches { get; private set; }

    public override bool TryNext(CancellationToken cancellationToken, out Candidate candidate)
    {
        if (_scan is not null)
        {
            var found = _scan.TryNext(cancellationToken, out candidate);
            Examined = _scanBase + _scan.Examined;
            return found;
        }

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
            if (_depth > count / ScanFraction && _depth > MinimumDepth && count > 0)
            {
                // The cosine to the normalised query is what FAISS computes; tracks already handed out are skipped.
                var unit = (float[])query.Clone();
                VectorMath.Normalize(unit);
                _scanBase = Examined;
                _scan = new ScanCandidateSource(tracks, v => ResolvedSeeds.Dot(unit, v), filter, _seen);
                return TryNext(cancellationToken, out candidate);
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
