namespace MusicDna.Catalogue;

/// <summary>What one upsert transaction did: counts, and the row id and song key given to each track in input order.</summary>
public sealed record UpsertOutcome(int Inserted, int Updated, IReadOnlyList<long> RowIds, IReadOnlyList<string> SongIds);
