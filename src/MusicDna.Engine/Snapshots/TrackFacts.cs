using MusicDna.Core.Features;
using MusicDna.Core.Tracks;

namespace MusicDna.Engine.Snapshots;

/// <summary>
/// What a search needs to know about one catalogue track without asking the catalogue: the fields filters test,
/// its song (<see cref="SongKey"/>, as the catalogue stored it), its L2-normalised latent vector under the snapshot's
/// model (for multi-seed scoring and diversity), and the track itself, which Recommend streams.
/// </summary>
public sealed record TrackFacts(Track Track, float[] Vector, string SongId)
{
    private static readonly int TempoIndex = FeatureSchema.IndexOf("tempo");

    public string TrackId => Track.TrackId;

    public string Genre => Track.Genre;

    public IReadOnlyList<string> Artists => Track.Artists;

    public int Popularity => Track.Popularity;

    public bool Explicit => Track.Explicit;

    public double Tempo => Track.Features[TempoIndex];
}
