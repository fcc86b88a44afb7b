namespace MusicDna.Catalogue;

/// <summary>
/// Which catalogue this is and how far its tracks have changed: what a saved copy of the served tracks is checked
/// against before it serves again. <see cref="Instance"/> is random, written when the catalogue was created (a
/// database swapped for another, or restored from elsewhere, has another); <see cref="Revision"/> grows with every
/// change to a track, by any writer. For the embedded catalogue it counts every row inserted, updated or deleted;
/// for a shared one it is the change feed's position (<see cref="ICatalogueChangeFeed.PositionAsync"/>), so a saved
/// copy at an older revision can be brought up to date by reading the changes after it.
/// </summary>
public sealed record CatalogueStamp(string Instance, long Revision);
