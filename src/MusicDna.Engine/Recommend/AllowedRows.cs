using System.Runtime.InteropServices;
using MusicDna.Engine.Snapshots;
using MusicDna.Index;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// The rows a filter's static part allows (<see cref="CandidateFilter.StaticRefusal"/>), as an <see cref="IdFilter"/>
/// for the index's filtered search, with the count of refused rows under each stage, as a full pass over the table
/// would count them. Built in one pass over the table's columns; immutable.
/// </summary>
internal sealed class AllowedRows
{
    private AllowedRows(IdFilter filter, long allowed, long[] refused)
    {
        Filter = filter;
        Allowed = allowed;
        Refused = refused;
    }

    public IdFilter Filter { get; }

    public long Allowed { get; }

    /// <summary>Refused rows by <see cref="RemovalStage"/>.</summary>
    public IReadOnlyList<long> Refused { get; }

    public static AllowedRows Build(TrackTable tracks, CandidateFilter filter)
    {
        var allowed = new List<long>();
        var refused = new long[RemovalStages.Count];
        foreach (var (rowId, facts) in tracks.Rows)
        {
            if (filter.StaticRefusal(facts) is { } stage)
            {
                refused[(int)stage]++;
            }
            else
            {
                allowed.Add(rowId);
            }
        }

        return new AllowedRows(IdFilter.FromIds(CollectionsMarshal.AsSpan(allowed)), allowed.Count, refused);
    }
}
