using MusicDna.Core.Tracks;

namespace MusicDna.Engine.Snapshots;

/// <summary>Whether two tracks hold the same values (Track's record equality compares its arrays by reference).</summary>
internal static class TrackContent
{
    public static bool Same(Track a, Track b) =>
        a.TrackId == b.TrackId && a.Name == b.Name && a.Album == b.Album && a.Genre == b.Genre
        && a.Popularity == b.Popularity && a.Explicit == b.Explicit && a.DurationMs == b.DurationMs
        && a.Artists.SequenceEqual(b.Artists, StringComparer.Ordinal) && a.Features.AsSpan().SequenceEqual(b.Features);
}
