using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MusicDna.Core.Features;
using MusicDna.Core.Tracks;

namespace MusicDna.Catalogue;

/// <summary>
/// One prepared <c>INSERT … VALUES (…), (…) ON CONFLICT (track_id) DO UPDATE</c> of a fixed number of tracks whose
/// row ids are already assigned (the id of a stored track id is ignored by the update). SQLite applies the rows in
/// order, so a track id repeated within one statement is inserted, then updated: the last row wins. Parameters are
/// held by position, so binding a row never looks a parameter up by name.
/// </summary>
internal sealed class UpsertStatement : IDisposable
{
    // The columns a row sets, in parameter order: the ids, the metadata, one per feature in schema order.
    private static readonly string[] RowColumns =
        ["id", "track_id", "name", "artists", "album", "genre", "popularity", "explicit", "duration_ms", "song_id",
         .. FeatureSchema.Names];

    private static readonly SqliteType[] RowTypes =
        [SqliteType.Integer, SqliteType.Text, SqliteType.Text, SqliteType.Text, SqliteType.Text, SqliteType.Text,
         SqliteType.Integer, SqliteType.Integer, SqliteType.Integer, SqliteType.Text,
         .. FeatureSchema.Names.Select(_ => SqliteType.Real)];

    // An upsert replaces everything but the ids.
    private static readonly string Updates = string.Join(", ",
        RowColumns.Skip(2).Append("updated_at").Select(c => $"{c} = excluded.{c}"));

    private const int FeatureOffset = 10;

    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _values;
    private readonly SqliteParameter _updatedAt;
    private readonly int _rows;

    public UpsertStatement(SqliteConnection connection, SqliteTransaction transaction, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        _rows = rows;
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _values = new SqliteParameter[rows * RowColumns.Length];
        var sql = new StringBuilder()
            .Append("INSERT INTO tracks (").Append(string.Join(", ", RowColumns)).Append(", updated_at) VALUES ");
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < RowColumns.Length; column++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"$v{row}_{column}");
                sql.Append(name).Append(", ");
                _values[row * RowColumns.Length + column] = _command.Parameters.Add(name, RowTypes[column]);
            }

            sql.Append("$updated_at)");
        }

        _updatedAt = _command.Parameters.Add("$updated_at", SqliteType.Text);
        _command.CommandText = sql.Append(" ON CONFLICT (track_id) DO UPDATE SET ").Append(Updates).Append(';').ToString();
    }

    /// <summary>Upserts tracks[start .. start + rows) with their row ids and song keys.</summary>
    public void Execute(IReadOnlyList<Track> tracks, long[] rowIds, string[] songIds, int start, string updatedAt)
    {
        _updatedAt.Value = updatedAt;
        for (var row = 0; row < _rows; row++)
        {
            var track = tracks[start + row];
            var values = _values.AsSpan(row * RowColumns.Length, RowColumns.Length);
            values[0].Value = rowIds[start + row];
            values[1].Value = track.TrackId;
            values[2].Value = track.Name;
            values[3].Value = JsonSerializer.Serialize(track.Artists);
            values[4].Value = track.Album;
            values[5].Value = track.Genre;
            values[6].Value = track.Popularity;
            values[7].Value = track.Explicit ? 1 : 0;
            values[8].Value = track.DurationMs;
            values[9].Value = songIds[start + row];
            for (var f = 0; f < FeatureSchema.Count; f++)
            {
                values[FeatureOffset + f].Value = track.Features[f];
            }
        }

        _command.ExecuteNonQuery();
    }

    public void Dispose() => _command.Dispose();
}
