namespace MusicDna.Engine;

/// <summary>
/// What a search needs to know about one catalogue track without asking SQLite: the fields filters test and
/// its L2-normalised latent vector under the snapshot's model (for multi-seed scoring and diversity).
/// </summary>
public sealed record TrackFacts(
    string TrackId,
    string Genre,
    IReadOnlyList<string> Artists,
    int Popularity,
    bool Explicit,
    double Tempo,
    float[] Vector);
