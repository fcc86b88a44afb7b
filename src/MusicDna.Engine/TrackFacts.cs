using MusicDna.Core.Tracks;

namespace MusicDna.Engine;

/// <summary>
/// What a search needs to know about one catalogue track without asking SQLite: the fields filters test,
/// its L2-normalised latent vector under the snapshot's model (for multi-seed scoring and diversity), and the track
/// itself, which Recommend streams (reading it back from SQLite per page was a seventh of Recommend's CPU).
/// </summary>
public sealed record TrackFacts(
    string TrackId,
    string Genre,
    IReadOnlyList<string> Artists,
    int Popularity,
    bool Explicit,
    double Tempo,
    float[] Vector,
    Track Track);
