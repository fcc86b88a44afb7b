using MusicDna.Engine.Snapshots;
using MusicDna.Index;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// Pages through the index search of one query vector with a doubling depth, filtering hits as they come, until
/// enough qualify or the index is exhausted. Either kind returns min(depth, count) hits best first; exact search the
/// same order at every depth, an inverted file the same lists' best plus, at depths past them, the next lists', so
/// each deeper page mostly adds to the previous one and ids already taken are skipped; the first hit below
/// <c>min_score</c> ends the search (later ones score lower, up to the inverted file's approximation). A filter
/// strict enough to push the depth past 1/<see cref="ScanFraction"/> of the catalogue goes on, when it has a static
/// part (<see cref="CandidateFilter.HasStaticPart"/>) and no <c>min_score</c>, in the index's own filtered search over
/// the rows that part allows (an <see cref="IdFilter"/> cached per snapshot revision), which returns k allowed hits
/// whenever k are present; otherwise it switches to a filter-first scan of the in-memory facts, which scores only the
/// tracks that qualify (measured in docs/recommend.md).
/// </summary>
internal sealed class IndexCandidateSource(
    ModelSnapshot snapshot, float[] unitQuery, CandidateFilter filter, int expected, double? minScore, FeedDiagnostics diagnostics)
    : CandidateSource
{
    // The first depth is twice what the page needs, at least this: most k = 10 pages are full within it, and a
    // shallower search costs less (docs/benchmarks.md has the figures); the few that are not go on at twice the depth.
    public const int FirstDepth = 16;

    // Neither the filtered search nor the scan takes over before the depth has passed this.
    public const int SwitchAfterDepth = 64;
    public const int ScanFraction = 16;

    private readonly HashSet<long> _seen = [];
    private IReadOnlyList<SearchHit> _hits = [];
    private int _position;
    private int _depth;
    private bool _complete;
    private ScanCandidateSource? _scan;
    private AllowedRows? _allowed;
    private long _scanBase;

    /// <summary>True once the search has switched to the filter-first scan.</summary>
    public bool Scanning => _scan is not null;

    /// <summary>True once the search has gone on in the index's filtered search.</summary>
    public bool FilteredByIndex => _allowed is not null;

    public override bool TryNext(CancellationToken cancellationToken, out Candidate candidate)
    {
        if (_scan is not null)
        {
            var found = _scan.TryNext(cancellationToken, out candidate);
            Examined = _scanBase + _scan.Examined;
            return found;
        }

        var scale = snapshot.Scale;
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
                var score = scale.Score(hit.Score);
                if (score < minScore)
                {
                    diagnostics.Remove(RemovalStage.MinScore);
                    diagnostics.StoppedAtMinScore = true;
                    _complete = true;
                    _hits = [];
                    candidate = default;
                    return false;
                }

                if (snapshot.Tracks.TryGet(hit.Id, out var facts) && filter.Matches(hit.Id, facts))
                {
                    candidate = new Candidate(hit.Id, score, hit.Score, facts);
                    return true;
                }
            }

            if (_complete)
            {
                candidate = default;
                return false;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var count = (int)Math.Min(snapshot.TrackCount, int.MaxValue);
            _depth = _depth == 0 ? Math.Max(FirstDepth, 2 * (expected + filter.KnownExclusions)) : 2 * _depth;
            if (_allowed is null && _depth > count / ScanFraction && _depth > SwitchAfterDepth && count > 0 && minScore is null && filter.HasStaticPart)
            {
                // The rest of the search goes to the index's own filtered search over the rows the static part allows.
                _allowed = snapshot.AllowedRows.Get(filter.StaticSignature, snapshot.Revision, () => AllowedRows.Build(snapshot.Tracks, filter));
                CountStaticRefusals(_allowed);
                _depth = Math.Max(FirstDepth, 2 * (expected + filter.KnownExclusions));
            }

            if (_allowed is null && _depth > count / ScanFraction && _depth > SwitchAfterDepth && count > 0)
            {
                // The cosine to the unit query is what the index computes; tracks already handed out are skipped.
                _scanBase = Examined;
                _scan = new ScanCandidateSource(snapshot.Tracks, Score, filter, minScore, diagnostics, _seen);
                return TryNext(cancellationToken, out candidate);
            }

            _hits = _allowed is null ? snapshot.Index.Search(unitQuery, _depth) : snapshot.Index.Search(unitQuery, _depth, _allowed.Filter);
            _complete = _hits.Count < _depth || _depth >= count;

            // Re-read from the top: float ties at the old depth's edge may come back in another order; _seen skips
            // what was already taken.
            _position = 0;
        }
    }

    /// <summary>
    /// Counts the rows the allowed set leaves out as a full pass would have (each under its first refusing stage),
    /// less those the unfiltered pages already looked at: the counts add up as if the search had scanned.
    /// </summary>
    private void CountStaticRefusals(AllowedRows allowed)
    {
        var refused = allowed.Refused.ToArray();
        foreach (var rowId in _seen)
        {
            if (snapshot.Tracks.TryGet(rowId, out var facts) && filter.StaticRefusal(facts) is { } stage)
            {
                refused[(int)stage]--;
            }
        }

        foreach (var rowId in filter.EarlyRows(snapshot.Tracks))
        {
            if (!_seen.Contains(rowId) && snapshot.Tracks.TryGet(rowId, out var facts)
                && filter.StaticRefusal(facts) is { } stage && filter.EarlyRefusal(rowId, facts) is { } early)
            {
                refused[(int)stage]--;
                refused[(int)early]++;
            }
        }

        for (var stage = 0; stage < refused.Length; stage++)
        {
            if (refused[stage] > 0)
            {
                diagnostics.Remove((RemovalStage)stage, refused[stage]);
                Examined += refused[stage];
            }
        }
    }

    private (float Score, float Cosine) Score(ReadOnlySpan<float> unitVector)
    {
        var cosine = UnitVector.Dot(unitQuery, unitVector);
        return (snapshot.Scale.Score(cosine), cosine);
    }
}
