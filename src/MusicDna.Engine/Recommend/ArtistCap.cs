using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend;

/// <summary>At most N tracks per artist in one page (a track counts for each of its artists); 0 = no cap.</summary>
internal sealed class ArtistCap(int maxTracksPerArtist)
{
    private readonly Dictionary<string, int> _taken = new(StringComparer.OrdinalIgnoreCase);

    public bool Allows(TrackFacts track) =>
        maxTracksPerArtist == 0 || track.Artists.All(a => _taken.GetValueOrDefault(a) < maxTracksPerArtist);

    public void Take(TrackFacts track)
    {
        if (maxTracksPerArtist == 0)
        {
            return;
        }

        foreach (var artist in track.Artists.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            _taken[artist] = _taken.GetValueOrDefault(artist) + 1;
        }
    }
}
