namespace MusicDna.Catalogue;

/// <summary>
/// What one delete did: the row ids removed, and the requested track ids that were not in the catalogue (when they
/// were not allowed to be missing, nothing was deleted and <see cref="RowIds"/> is empty).
/// </summary>
public sealed record DeleteOutcome(IReadOnlyList<long> RowIds, IReadOnlyList<string> MissingTrackIds)
{
    public int Deleted => RowIds.Count;
}
