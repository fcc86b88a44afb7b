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
    private readonly Queue<IReadOnlyList<string>> _recent = new();

    public ArtistWindow(int size, IEnumerable<TrackFacts> before)
        : this(size, size > 0 ? before.Select(f => f.Artists) : [])
    {
    }

    private ArtistWindow(int size, IEnumerable<IReadOnlyList<string>> before)
    {
        _size = size;
        foreach (var artists in before)
        {
            Push(artists);
        }
    }

    /// <summary>The same window, to be slid independently (a re-rank tries several pools).</summary>
    public ArtistWindow Copy() => new(_size, _recent);

    public bool Allows(TrackFacts track)
    {
        if (_size == 0)
        {
            return true;
        }

        var artists = track.Artists;
        return !_recent.Any(r => r.Any(a => a.Length > 0 && artists.Contains(a, StringComparer.OrdinalIgnoreCase)));
    }

    public void Push(TrackFacts track)
    {
        if (_size > 0)
        {
            Push(track.Artists);
        }
    }

    private void Push(IReadOnlyList<string> artists)
    {
        if (_size == 0)
        {
            return;
        }

        _recent.Enqueue(artists);
        while (_recent.Count > _size)
        {
            _recent.Dequeue();
        }
    }
}
