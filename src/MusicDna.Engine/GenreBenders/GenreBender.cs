using MusicDna.Core.Tracks;

namespace MusicDna.Engine.GenreBenders;

/// <summary>A track whose latent neighbours span several genres: the entropy (bits) of their genres, and the genres.</summary>
public sealed record GenreBender(Track Track, double Entropy, IReadOnlyList<KeyValuePair<string, int>> NeighbourGenres);
