using MusicDna.Contracts.V1;

namespace MusicDna.Testing;

public static class TrackExtensions
{
    public static Track Clone(this Track track, Action<Track> change)
    {
        var copy = track.Clone();
        change(copy);
        return copy;
    }
}
