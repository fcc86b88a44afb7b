using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>SearchTracks over the real server: word prefixes of titles and artists, from the catalogue's word index.</summary>
public sealed class SearchTracksTests(TrainedServerFixture fixture) : IClassFixture<TrainedServerFixture>
{
    private MusicDnaService.MusicDnaServiceClient Client => fixture.Server.Client;

    [Fact]
    public async Task A_prefix_of_a_title_word_and_of_an_artist_word_finds_the_track()
    {
        var track = fixture.Catalogue.First(t => Words(t.Name).Any(w => w.Length >= 5) && t.Artists.Count > 0 && Words(t.Artists[0]).Any(w => w.Length >= 4));
        var titleWord = Words(track.Name).First(w => w.Length >= 5)[..4];
        var artistWord = Words(track.Artists[0]).First(w => w.Length >= 4)[..3];

        var response = await Client.SearchTracksAsync(new SearchTracksRequest { Query = $"{titleWord.ToUpperInvariant()} {artistWord.ToLowerInvariant()}", Limit = 100 });

        Assert.Contains(track.TrackId, response.Tracks.Select(t => t.TrackId));
        Assert.All(response.Tracks, t =>
        {
            var words = Words(t.Name).Concat(t.Artists.SelectMany(Words)).ToList();
            Assert.Contains(words, w => w.StartsWith(titleWord, StringComparison.OrdinalIgnoreCase));
            Assert.Contains(words, w => w.StartsWith(artistWord, StringComparison.OrdinalIgnoreCase));
        });
    }

    [Fact]
    public async Task A_query_without_its_accents_finds_a_title_with_them()
    {
        var folded = new Dictionary<char, char> { ['é'] = 'e', ['è'] = 'e', ['á'] = 'a', ['í'] = 'i', ['ó'] = 'o', ['ú'] = 'u', ['ñ'] = 'n', ['ã'] = 'a', ['ç'] = 'c' };
        var (track, word) = fixture.Catalogue
            .SelectMany(t => Words(t.Name).Select(w => (Track: t, Word: w)))
            .First(p => p.Word.Length >= 4 && p.Word.Any(folded.ContainsKey) && p.Word.All(char.IsLetter));
        var query = new string([.. word.Select(c => folded.GetValueOrDefault(char.ToLowerInvariant(c), c))]);

        var response = await Client.SearchTracksAsync(new SearchTracksRequest { Query = query, Limit = 100 });

        Assert.Contains(track.TrackId, response.Tracks.Select(t => t.TrackId));
    }

    [Fact]
    public async Task More_matches_than_the_limit_are_cut_and_marked_truncated()
    {
        var response = await Client.SearchTracksAsync(new SearchTracksRequest { Query = "a", Limit = 3 });

        Assert.Equal(3, response.Tracks.Count);
        Assert.True(response.Truncated);
    }

    [Fact]
    public async Task A_renamed_track_is_found_by_its_new_title_and_no_longer_by_its_old_one()
    {
        var track = fixture.Catalogue.Skip(7).First(t => Words(t.Name).Count() >= 2);
        const string NewName = "Zyxwvut Quokkaphonic";
        await Client.IngestAsync([track.Clone(t => t.Name = NewName)]);
        try
        {
            var renamed = await Client.SearchTracksAsync(new SearchTracksRequest { Query = "quokkaph zyx" });
            Assert.Equal([track.TrackId], renamed.Tracks.Select(t => t.TrackId));
            var old = await Client.SearchTracksAsync(new SearchTracksRequest { Query = string.Join(' ', Words(track.Name)), Limit = 100 });
            Assert.DoesNotContain(track.TrackId, old.Tracks.Select(t => t.TrackId));
        }
        finally
        {
            await Client.IngestAsync([track]);
        }
    }

    [Fact]
    public async Task A_query_is_words_not_search_syntax()
    {
        var response = await Client.SearchTracksAsync(new SearchTracksRequest { Query = "\"a\" OR NEAR(b* -c) {name}: ^d" });
        Assert.NotNull(response);
        var plain = await Client.SearchTracksAsync(new SearchTracksRequest { Query = "a OR NEAR b c name d" });
        Assert.Equal(plain.Tracks.Select(t => t.TrackId), response.Tracks.Select(t => t.TrackId));
    }

    public static TheoryData<string, int, string> BadRequests => new()
    {
        { "", 0, "query" },
        { "   ", 0, "query" },
        { "-- !! ??", 0, "query" },
        { "beat\u001b[31m", 0, "query" },
        { new string('a', 201), 0, "query" },
        { string.Join(' ', Enumerable.Repeat("word", 17)), 0, "query" },
        { "beat", 101, "limit" },
        { "beat", -1, "limit" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task An_out_of_bounds_query_or_limit_is_InvalidArgument_naming_the_field(string query, int limit, string field)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.SearchTracksAsync(new SearchTracksRequest { Query = query, Limit = limit }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", field), error.Describe());
        Assert.DoesNotContain("\u001b", error.Status.Detail, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Words(string text) =>
        text.Split(c => !char.IsLetterOrDigit(c)).Where(w => w.Length > 0);
}

internal static class SplitExtensions
{
    public static string[] Split(this string text, Func<char, bool> isSeparator) =>
        new string([.. text.Select(c => isSeparator(c) ? ' ' : c)]).Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
