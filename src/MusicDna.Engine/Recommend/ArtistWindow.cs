using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// No artist twice within the last N rows of a feed (a track counts for each of its artists, case-insensitive),
/// across pages: it starts from the rows heard before this page (history, then earlier pages) and slides as the
/// page is chosen. 0 = no window.
/// </summary>
internal sealed class ArtistWindow
{
    private readonly int _size;
    private readonly Queue<TrackFacts> _recent = new();

    public ArtistWindow(int size, IEnumerable<TrackFacts> before)
    {
        _size = size;
        if (size > 0)
        {
            foreach (var facts in before)
            {
                Push(facts);
            }
        }
    }

    /// <summary>The same window, to be slid independently (a re-rank tries several pools).</summary>
    public ArtistWindow Copy() => new(_size, _recent);

    public bool Allows(TrackFacts track) =>
        _size == 0 || !_recent.Any(r => r.Artists.Any(a => a.Length > 0 && track.Artists.Contains(a, StringComparer.OrdinalIgnoreCase)));

    public void Push(TrackFacts track)
    {
        if (_size == 0)
        {
            return;
        }

        _recent.Enqueue(track);
        while (_recent.Count > _size)
        {
            _recent.Dequeue();
        }
    }
}
