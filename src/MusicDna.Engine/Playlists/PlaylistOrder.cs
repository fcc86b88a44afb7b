using MusicDna.Core.Tracks;

namespace MusicDna.Engine.Playlists;

/// <summary>
/// A reordered playlist: the tracks in their new order, the sonic path length (sum of latent angles between
/// neighbours, radians) before and after, a lower bound on the shortest path (the minimum spanning tree's weight), the
/// minimised cost (path plus the asked-for key, tempo and arc terms) before and after, and the key clashes left.
/// </summary>
public sealed record PlaylistOrder(
    long ModelVersion,
    IReadOnlyList<Track> Tracks,
    double PathLengthBefore,
    double PathLengthAfter,
    double LowerBound,
    double CostBefore,
    double CostAfter,
    int KeyClashes);
