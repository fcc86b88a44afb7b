using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// Catalogue rows a listener heard recently, oldest first, with their facts and songs: the request's <c>history</c>
/// (ids not in the snapshot are ignored), or the last rows a feed served, which a page token carries for the artist
/// window.
/// </summary>
internal sealed class RecentRows
{
    private RecentRows(List<(long RowId, TrackFacts Facts)> rows)
    {
        Rows = rows;
        RowIds = rows.Select(r => r.RowId).ToHashSet();
        SongIds = rows.Select(r => r.Facts.Song).ToHashSet();
    }

    public static RecentRows None { get; } = new([]);

    public IReadOnlyList<(long RowId, TrackFacts Facts)> Rows { get; }

    public IReadOnlySet<long> RowIds { get; }

    public IReadOnlySet<UInt128> SongIds { get; }

    public static RecentRows OfTrackIds(IEnumerable<string> trackIds, TrackTable tracks)
    {
        var rows = new List<(long, TrackFacts)>();
        foreach (var id in trackIds)
        {
            if (tracks.TryFind(id, out var rowId, out var facts))
            {
                rows.Add((rowId, facts));
            }
        }

        return rows.Count == 0 ? None : new RecentRows(rows);
    }

    public static RecentRows OfRows(IEnumerable<long> rowIds, TrackTable tracks)
    {
        var rows = new List<(long, TrackFacts)>();
        foreach (var rowId in rowIds)
        {
            if (tracks.TryGet(rowId, out var facts))
            {
                rows.Add((rowId, facts));
            }
        }

        return rows.Count == 0 ? None : new RecentRows(rows);
    }
}
