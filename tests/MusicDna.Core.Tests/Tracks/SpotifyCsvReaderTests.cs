using System.Text;
using MusicDna.Core.Errors;
using MusicDna.Core.Tracks;

namespace MusicDna.Core.Tests.Tracks;

public sealed class SpotifyCsvReaderTests
{
    private const string Header =
        ",track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode," +
        "speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre";

    // Real rows from the dataset (indexes 0, 16 and 65900), quoting as in the file.
    private const string Comedy =
        "0,5SuOikwiRyPMVoIQDJUgSV,Gen Hoshino,Comedy,Comedy,73,230666,False,0.676,0.461,1,-6.746,0,0.143,0.0322,1.01e-06,0.358,0.715,87.917,4,acoustic";

    private const string QuotedCommas =
        "16,4mzP5mHkRvGxdhdGdAH7EJ,Zack Tabudlo,Episode,Give Me Your Forever,74,244800,False,0.627,0.363,8,-8.127,1,0.0291,0.279,0.0,0.0928,0.301,99.905,4,acoustic";

    private const string Anonymous =
        "65900,1kR4gIb7nGxHPI3D2ifs59,,,,0,0,False,0.501,0.583,7,-9.46,0,0.0605,0.69,0.00396,0.0747,0.734,138.391,4,k-pop";

    [Fact]
    public async Task A_real_row_becomes_a_track_with_every_field_in_place()
    {
        var rows = await ReadAllAsync(Header, Comedy);

        var row = Assert.Single(rows);
        Assert.Equal(1, row.RowNumber);
        Assert.Null(row.Error);
        var track = row.Track!;
        Assert.Equal("5SuOikwiRyPMVoIQDJUgSV", track.TrackId);
        Assert.Equal("Comedy", track.Name);
        Assert.Equal(["Gen Hoshino"], track.Artists);
        Assert.Equal("Comedy", track.Album);
        Assert.Equal("acoustic", track.Genre);
        Assert.Equal(73, track.Popularity);
        Assert.False(track.Explicit);
        Assert.Equal(230666, track.DurationMs);
        Assert.Equal([0.676, 0.461, 1, -6.746, 0, 0.143, 0.0322, 1.01e-06, 0.358, 0.715, 87.917, 4], track.Features);
    }

    [Fact]
    public async Task Quoted_fields_keep_their_commas_and_artists_split_on_semicolons()
    {
        var line = "7,3hUxzQpSfdDqwM3ZTFQY0K,\"Crosby, Stills & Nash; Neil Young ;Joni\",\"Songs, Vol. 2\",\"Hello, \"\"World\"\"\"," +
            "50,1000,True,0.5,0.5,1,-5,1,0.05,0.5,0,0.1,0.5,120,4,folk";

        var track = Assert.Single(await ReadAllAsync(Header, line)).Track!;

        Assert.Equal(["Crosby, Stills & Nash", "Neil Young", "Joni"], track.Artists);
        Assert.Equal("Songs, Vol. 2", track.Album);
        Assert.Equal("Hello, \"World\"", track.Name);
        Assert.True(track.Explicit);
    }

    [Fact]
    public async Task The_row_with_empty_names_is_read_as_a_valid_track()
    {
        var track = Assert.Single(await ReadAllAsync(Header, Anonymous)).Track!;

        Assert.Equal("1kR4gIb7nGxHPI3D2ifs59", track.TrackId);
        Assert.Equal("", track.Name);
        Assert.Empty(track.Artists);
        Assert.Equal("", track.Album);
        Assert.Equal(0, track.DurationMs);
    }

    [Fact]
    public async Task A_bad_number_yields_an_error_row_and_reading_goes_on()
    {
        var bad = Comedy.Replace("-6.746", "loud", StringComparison.Ordinal);

        var rows = await ReadAllAsync(Header, bad, QuotedCommas);

        Assert.Equal(2, rows.Count);
        Assert.Null(rows[0].Track);
        Assert.Equal("loudness", rows[0].Error?.Field);
        Assert.Contains("'loud'", rows[0].Error?.Reason, StringComparison.Ordinal);
        Assert.Equal(2, rows[1].RowNumber);
        Assert.Equal("4mzP5mHkRvGxdhdGdAH7EJ", rows[1].Track?.TrackId);
    }

    [Fact]
    public async Task A_row_short_of_columns_names_the_first_missing_one()
    {
        var cut = Comedy[..Comedy.LastIndexOf(",4,", StringComparison.Ordinal)];

        var row = Assert.Single(await ReadAllAsync(Header, cut));

        Assert.Equal("time_signature", row.Error?.Field);
    }

    [Fact]
    public async Task Blank_lines_are_skipped_but_keep_their_row_number()
    {
        using var reader = new StringReader($"{Header}\r\n{Comedy}\r\n\r\n{QuotedCommas}\n\n");
        var rows = new List<CsvTrackRow>();
        await foreach (var row in SpotifyCsvReader.ReadAsync(reader))
        {
            rows.Add(row);
        }

        Assert.Equal([1L, 3L], rows.Select(r => r.RowNumber));
        Assert.All(rows, r => Assert.Null(r.Error));
    }

    [Fact]
    public async Task A_broken_quote_stops_the_read_with_its_row_number()
    {
        var broken = Comedy.Replace("Comedy,Comedy", "\"Com\"edy,Comedy", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => ReadAllAsync(Header, Comedy, broken));

        Assert.Equal("csv", error.Field);
        Assert.StartsWith("row 2 ", error.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_value_in_a_number_column_is_an_error_row()
    {
        var row = Assert.Single(await ReadAllAsync(Header, Comedy.Replace(",73,", ",,", StringComparison.Ordinal)));

        Assert.Equal(new("popularity", "is empty"), row.Error);
    }

    [Fact]
    public async Task A_row_failing_validation_names_the_contract_field()
    {
        var rows = await ReadAllAsync(
            Header,
            Comedy.Replace(",73,", ",101,", StringComparison.Ordinal),
            Comedy.Replace(",acoustic", "," + new string('g', 101), StringComparison.Ordinal),
            Comedy.Replace(",87.917,", ",-3,", StringComparison.Ordinal));

        Assert.Equal(["popularity", "genre", "features.tempo"], rows.Select(r => r.Error?.Field));
    }

    [Theory]
    [InlineData("True", true)]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("False", false)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    public async Task Explicit_accepts_the_usual_spellings(string text, bool expected)
    {
        var row = Assert.Single(await ReadAllAsync(Header, Comedy.Replace(",False,", $",{text},", StringComparison.Ordinal)));

        Assert.Equal(expected, row.Track?.Explicit);
    }

    [Fact]
    public async Task An_unknown_explicit_value_is_an_error_row()
    {
        var row = Assert.Single(await ReadAllAsync(Header, Comedy.Replace(",False,", ",maybe,", StringComparison.Ordinal)));

        Assert.Equal("explicit", row.Error?.Field);
    }

    [Fact]
    public async Task Columns_are_found_by_name_in_any_order_with_extras_ignored()
    {
        const string header = "track_genre,extra,track_id,track_name,album_name,artists,popularity,duration_ms,explicit," +
            "time_signature,tempo,valence,liveness,instrumentalness,acousticness,speechiness,mode,loudness,key,energy,danceability";
        const string line = "acoustic,ignored,5SuOikwiRyPMVoIQDJUgSV,Comedy,Comedy,Gen Hoshino,73,230666,False," +
            "4,87.917,0.715,0.358,1.01e-06,0.0322,0.143,0,-6.746,1,0.461,0.676";

        var expected = Assert.Single(await ReadAllAsync(Header, Comedy)).Track!;
        var track = Assert.Single(await ReadAllAsync(header, line)).Track!;

        Assert.Equal(expected.Features, track.Features);
        Assert.Equal((expected.TrackId, expected.Genre, expected.Artists[0]), (track.TrackId, track.Genre, track.Artists[0]));
    }

    [Fact]
    public async Task A_header_without_required_columns_is_refused_naming_them()
    {
        var header = Header.Replace(",tempo", "", StringComparison.Ordinal).Replace(",track_genre", "", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => ReadAllAsync(header, Comedy));

        Assert.Equal("csv.header", error.Field);
        Assert.Contains("tempo, track_genre", error.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Numbers_parse_the_same_under_a_comma_decimal_culture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var track = Assert.Single(await ReadAllAsync(Header, Comedy)).Track!;

            Assert.Equal(-6.746, track.Features[3]);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public async Task A_stream_with_a_byte_order_mark_reads_like_text()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes($"{Header}\n{Comedy}\n")).ToArray();
        using var stream = new MemoryStream(bytes);
        var rows = new List<CsvTrackRow>();

        await foreach (var row in SpotifyCsvReader.ReadAsync(stream))
        {
            rows.Add(row);
        }

        Assert.Equal("5SuOikwiRyPMVoIQDJUgSV", Assert.Single(rows).Track?.TrackId);
        Assert.True(stream.CanRead, "the caller's stream stays open");
    }

    [Fact]
    public async Task Reading_stops_when_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        using var reader = new StringReader($"{Header}\n{Comedy}\n");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in SpotifyCsvReader.ReadAsync(reader, cancellation.Token))
            {
            }
        });
    }

    private static async Task<List<CsvTrackRow>> ReadAllAsync(string header, params string[] lines)
    {
        using var reader = new StringReader(header + "\n" + string.Join("\n", lines) + "\n");
        var rows = new List<CsvTrackRow>();
        await foreach (var row in SpotifyCsvReader.ReadAsync(reader))
        {
            rows.Add(row);
        }

        return rows;
    }
}
