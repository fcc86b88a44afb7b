using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using MusicDna.Core.Errors;
using MusicDna.Core.Features;
using Sylvan.Data.Csv;

namespace MusicDna.Core.Tracks;

/// <summary>
/// Reads the Spotify Tracks dataset's CSV format: a header row, columns found by name (order, the unnamed leading
/// index column and any extra columns do not matter), <c>artists</c> separated by ';'. A bad row becomes an error
/// row and reading goes on, so one messy line never stops an import; blank lines are skipped. Text is kept as
/// written except <c>track_id</c>, <c>track_genre</c> and each artist, which are trimmed.
/// </summary>
public static class SpotifyCsvReader
{
    private const string TrackIdColumn = "track_id";
    private const string ArtistsColumn = "artists";
    private const string AlbumColumn = "album_name";
    private const string NameColumn = "track_name";
    private const string PopularityColumn = "popularity";
    private const string DurationColumn = "duration_ms";
    private const string ExplicitColumn = "explicit";
    private const string GenreColumn = "track_genre";

    /// <summary>Every column a file must have, in the dataset's order.</summary>
    public static IReadOnlyList<string> RequiredColumns { get; } =
    [
        TrackIdColumn, ArtistsColumn, AlbumColumn, NameColumn, PopularityColumn, DurationColumn, ExplicitColumn,
        .. FeatureSchema.Names, GenreColumn,
    ];

    // CSV column → the gRPC field a violation names.
    private static readonly FrozenDictionary<string, string> FieldByColumn = new Dictionary<string, string>
    {
        [AlbumColumn] = "album",
        [NameColumn] = "name",
        [GenreColumn] = "genre",
    }.ToFrozenDictionary();

    /// <summary>Reads tracks from a UTF-8 stream (a byte-order mark is honoured). The stream is left open.</summary>
    /// <exception cref="InvalidInputException">A required column is missing from the header, or the CSV is malformed.</exception>
    public static async IAsyncEnumerable<CsvTrackRow> ReadAsync(
        Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        await foreach (var row in ReadAsync(reader, cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    /// <summary>Reads tracks from text. The reader is left open.</summary>
    /// <exception cref="InvalidInputException">A required column is missing from the header, or the CSV is malformed.</exception>
    public static async IAsyncEnumerable<CsvTrackRow> ReadAsync(
        TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var options = new CsvDataReaderOptions { HasHeaders = true, Delimiter = ',', OwnsReader = false };
        var csv = await CsvDataReader.CreateAsync(reader, options, cancellationToken).ConfigureAwait(false);
        await using (csv.ConfigureAwait(false))
        {
            var ordinals = FindColumns(csv);
            var rowNumber = 0L;
            while (await ReadRowAsync(csv, rowNumber + 1, cancellationToken).ConfigureAwait(false))
            {
                // Blank lines keep their number, so numbers still point at lines in a file without multi-line fields.
                rowNumber++;
                if (csv.RowFieldCount > 1 || csv.GetFieldSpan(0).Trim().Length > 0)
                {
                    yield return ParseRow(csv, ordinals, rowNumber);
                }
            }
        }
    }

    private static async Task<bool> ReadRowAsync(CsvDataReader csv, long rowNumber, CancellationToken cancellationToken)
    {
        // Sylvan only passes the token to the TextReader, and in-memory readers ignore it.
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await csv.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CsvFormatException e)
        {
            // A broken quote desynchronises every row after it, so this one stops the read.
            throw new InvalidInputException("csv", $"row {rowNumber} is not valid CSV: {e.Message}");
        }
    }

    private static ColumnOrdinals FindColumns(CsvDataReader csv)
    {
        var byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < csv.FieldCount; i++)
        {
            byName.TryAdd(csv.GetName(i).Trim(), i);
        }

        var missing = RequiredColumns.Where(c => !byName.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidInputException("csv.header", $"missing required columns: {string.Join(", ", missing)}");
        }

        return new ColumnOrdinals(
            byName[TrackIdColumn], byName[ArtistsColumn], byName[AlbumColumn], byName[NameColumn],
            byName[PopularityColumn], byName[DurationColumn], byName[ExplicitColumn],
            [.. FeatureSchema.Names.Select(n => byName[n])], byName[GenreColumn]);
    }

    private static CsvTrackRow ParseRow(CsvDataReader csv, ColumnOrdinals columns, long rowNumber)
    {
        if (csv.RowFieldCount <= columns.Last)
        {
            var missing = RequiredColumns.First(c => columns.Of(c) >= csv.RowFieldCount);
            return Failed(rowNumber, missing, "is missing from the row");
        }

        if (!TryParseInteger(csv.GetFieldSpan(columns.Popularity), out var popularity))
        {
            return Unparsable(csv, rowNumber, columns.Popularity, PopularityColumn, "a whole number");
        }

        if (popularity is < TrackValidator.MinPopularity or > TrackValidator.MaxPopularity)
        {
            return Failed(
                rowNumber,
                PopularityColumn,
                $"must be in [{TrackValidator.MinPopularity}, {TrackValidator.MaxPopularity}], got {popularity}");
        }

        if (!TryParseInteger(csv.GetFieldSpan(columns.DurationMs), out var durationMs))
        {
            return Unparsable(csv, rowNumber, columns.DurationMs, DurationColumn, "a whole number");
        }

        if (!TryParseBoolean(csv.GetFieldSpan(columns.Explicit), out var isExplicit))
        {
            return Unparsable(csv, rowNumber, columns.Explicit, ExplicitColumn, "True, False, 1 or 0");
        }

        var features = new double[FeatureSchema.Count];
        for (var j = 0; j < features.Length; j++)
        {
            var ordinal = columns.Features[j];
            if (!double.TryParse(csv.GetFieldSpan(ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out features[j]))
            {
                return Unparsable(csv, rowNumber, ordinal, FeatureSchema.Names[j], "a number");
            }
        }

        var track = new Track(
            TrackId: csv.GetString(columns.TrackId).Trim(),
            Name: csv.GetString(columns.Name),
            Artists: csv.GetString(columns.Artists).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            Album: csv.GetString(columns.Album),
            Genre: csv.GetString(columns.Genre).Trim(),
            Popularity: (int)popularity,
            Explicit: isExplicit,
            DurationMs: durationMs,
            Features: features);
        var violation = TrackValidator.Validate(track);
        return violation is null ? new CsvTrackRow(rowNumber, track, null) : new CsvTrackRow(rowNumber, null, violation);
    }

    private static bool TryParseInteger(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    private static bool TryParseBoolean(ReadOnlySpan<char> text, out bool value)
    {
        text = text.Trim();
        if (text is "1" or "0")
        {
            value = text is "1";
            return true;
        }

        return bool.TryParse(text, out value);
    }

    private static CsvTrackRow Unparsable(CsvDataReader csv, long rowNumber, int ordinal, string column, string expected)
    {
        var text = csv.GetString(ordinal);
        return text.Trim().Length == 0
            ? Failed(rowNumber, column, "is empty")
            : Failed(rowNumber, column, $"must be {expected}, got '{Shorten(text)}'");
    }

    private static CsvTrackRow Failed(long rowNumber, string column, string reason) =>
        new(rowNumber, null, new FeatureViolation(FieldByColumn.GetValueOrDefault(column, column), reason));

    // Echo enough of a bad value to recognise it, never a whole megabyte of it.
    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    /// <summary>Where each column sits in this file.</summary>
    private sealed record ColumnOrdinals(
        int TrackId, int Artists, int Album, int Name, int Popularity, int DurationMs, int Explicit, int[] Features, int Genre)
    {
        /// <summary>The rightmost required column: a row with fewer fields lacks at least one.</summary>
        public int Last { get; } = Math.Max(
            Math.Max(Math.Max(TrackId, Artists), Math.Max(Album, Name)),
            Math.Max(Math.Max(Math.Max(Popularity, DurationMs), Math.Max(Explicit, Genre)), Features.Max()));

        public int Of(string column) => column switch
        {
            TrackIdColumn => TrackId,
            ArtistsColumn => Artists,
            AlbumColumn => Album,
            NameColumn => Name,
            PopularityColumn => Popularity,
            DurationColumn => DurationMs,
            ExplicitColumn => Explicit,
            GenreColumn => Genre,
            _ => Features[FeatureSchema.Names.IndexOf(column)],
        };
    }
}
