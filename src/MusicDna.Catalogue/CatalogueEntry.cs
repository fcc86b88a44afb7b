using MusicDna.Core.Tracks;

namespace MusicDna.Catalogue;

/// <summary>
/// A stored track with its catalogue row id, which is also its id in the vector index, and the key of its song
/// (<see cref="SongKey"/>), computed when it was stored.
/// </summary>
public sealed record CatalogueEntry(long Id, Track Track, string SongId);
