using MusicDna.Engine.Recommend;

namespace MusicDna.Engine.Tests;

/// <summary>A test fixture, not a search: hands out the given candidates in the given order, as a search would.</summary>
internal sealed class ReplayedCandidates(IEnumerable<Candidate> candidates) : CandidateSource
{
    private readonly Queue<Candidate> _queue = new(candidates);

    public override bool TryNext(CancellationToken cancellationToken, out Candidate candidate)
    {
        if (!_queue.TryDequeue(out candidate))
        {
            return false;
        }

        Examined++;
        return true;
    }
}
