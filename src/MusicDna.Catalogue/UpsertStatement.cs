using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using SQLitePCL;

namespace MusicDna.Catalogue;

/// <summary>
/// One prepared <c>INSERT … VALUES (…), (…) ON CONFLICT (track_id) DO UPDATE</c> of a fixed number of tracks whose
/// row ids are already assigned (the id of a stored track id is ignored by the update). SQLite applies the rows in
/// order, so a track id repeated within one statement is inserted, then updated: the last row wins. It is prepared
/// and bound through SQLite's own API on the connection's handle (inside the connection's transaction): values bound
/// by position, none boxed, no parameter looked up by name at each execution as <see cref="SqliteCommand"/> does.
/// </summary>
internal sealed class UpsertStatement : IDisposable
{
    // The columns a row sets, in parameter order: the ids, the metadata, one per feature in schema order.
    private static readonly string[] RowColumns =
        ["id", "track_id", "name", "artists", "album", "genre", "popularity", "explicit", "duration_ms", "song_id",
         .. FeatureSchema.Names];

    // An upsert replaces everything but the ids.
    private static readonly string Updates = string.Join(", ",
        RowColumns.Skip(2).Append("updated_at").Select(c => $"{c} = excluded.{c}"));

    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;
    private readonly int _rows;

    public UpsertStatement(SqliteConnection connection, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        _connection = connection;
        _rows = rows;
        var sql = new StringBuilder()
            .Append("INSERT INTO tracks (").Append(string.Join(", ", RowColumns)).Append(", updated_at) VALUES ");
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (").Append(string.Join(", ", RowColumns.Select(_ => "?"))).Append(", ?)");
        }

        sql.Append(" ON CONFLICT (track_id) DO UPDATE SET ").Append(Updates).Append(';');
        Check(raw.sqlite3_prepare_v2(connection.Handle, sql.ToString(), out _statement));
    }

    /// <summary>Upserts tracks[start .. start + rows) with their row ids and song keys.</summary>
    public void Execute(IReadOnlyList<Track> tracks, long[] rowIds, string[] songIds, int start, string updatedAt)
    {
        // Parameters are numbered from 1: a row's columns, then its updated_at.
        var index = 1;
        for (var row = 0; row < _rows; row++)
        {
            var track = tracks[start + row];
            Check(raw.sqlite3_bind_int64(_statement, index++, rowIds[start + row]));
            Check(raw.sqlite3_bind_text(_statement, index++, track.TrackId));
            Check(raw.sqlite3_bind_text(_statement, index++, track.Name));
            Check(raw.sqlite3_bind_text(_statement, index++, JsonSerializer.Serialize(track.Artists)));
            Check(raw.sqlite3_bind_text(_statement, index++, track.Album));
            Check(raw.sqlite3_bind_text(_statement, index++, track.Genre));
            Check(raw.sqlite3_bind_int64(_statement, index++, track.Popularity));
            Check(raw.sqlite3_bind_int64(_statement, index++, track.Explicit ? 1 : 0));
            Check(raw.sqlite3_bind_int64(_statement, index++, track.DurationMs));
            Check(raw.sqlite3_bind_text(_statement, index++, songIds[start + row]));
            for (var f = 0; f < FeatureSchema.Count; f++)
            {
                Check(raw.sqlite3_bind_double(_statement, index++, track.Features[f]));
            }

            Check(raw.sqlite3_bind_text(_statement, index++, updatedAt));
        }

        var done = raw.sqlite3_step(_statement);
        // Reset at once: a failed step's error is reported by reset too, and the statement is ready for the next rows.
        var reset = raw.sqlite3_reset(_statement);
        if (done != raw.SQLITE_DONE)
        {
            Check(reset == raw.SQLITE_OK ? done : reset);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }
    }
}
