using MusicDna.Core.Tracks;

namespace MusicDna.Catalogue;

/// <summary>The tracks a word search found, best first, and whether more matched than were asked for.</summary>
public sealed record TrackSearchResult(IReadOnlyList<Track> Tracks, bool Truncated);
