using System.Buffers.Text;
using System.Security.Cryptography;
using MusicDna.Core.Errors;
using MusicDna.Engine.Recommend;
using MusicDna.Engine.Recommend.Tuning;

namespace MusicDna.Engine.Tests;

public sealed class FeedTokenTests
{
    private const long Version = 7;

    private static readonly PageTokenKey Key = new([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);

    private static readonly PageTokenKey OtherKey = new([.. Enumerable.Range(2, 32).Select(i => (byte)i)]);

    private static readonly RecommendQuery Request = new()
    {
        Seeds = [new RecommendSeed("", "seed-track", null)],
        K = 20,
        Filter = new TrackFilter { IncludeGenres = ["rock", "jazz"], MaxPopularity = 80 },
        Diversity = 0.2,
    };

    private static readonly byte[] RequestFingerprint = FeedToken.Fingerprint(Request);

    public static TheoryData<string> Changes => [.. ChangedRequests.Keys];

    private static Dictionary<string, RecommendQuery> ChangedRequests { get; } = new()
    {
        ["seed track"] = Request with { Seeds = [new RecommendSeed("", "another-track", null)] },
        ["seed weight"] = Request with { Seeds = [new RecommendSeed("", "seed-track", null, Weight: 2)] },
        ["seed polarity"] = Request with { Seeds = [new RecommendSeed("", "seed-track", null, Negative: true)] },
        ["seed added"] = Request with { Seeds = [Request.Seeds[0], new RecommendSeed("seeds[1]", "b", null)] },
        ["features seed"] = Request with { Seeds = [new RecommendSeed("", null, TestTracks.Features(new Random(1)))] },
        ["strategy"] = Request with { Strategy = SeedStrategy.BestScore },
        ["include genres"] = Request with { Filter = Request.Filter with { IncludeGenres = ["rock"] } },
        ["exclude genres"] = Request with { Filter = Request.Filter with { ExcludeGenres = ["pop"] } },
        ["exclude seed artists"] = Request with { Filter = Request.Filter with { ExcludeSeedArtists = true } },
        ["exclude explicit"] = Request with { Filter = Request.Filter with { ExcludeExplicit = true } },
        ["min popularity"] = Request with { Filter = Request.Filter with { MinPopularity = 5 } },
        ["max popularity"] = Request with { Filter = Request.Filter with { MaxPopularity = 81 } },
        ["min tempo"] = Request with { Filter = Request.Filter with { MinTempo = 90 } },
        ["max tempo"] = Request with { Filter = Request.Filter with { MaxTempo = 140 } },
        ["exclude track ids"] = Request with { Filter = Request.Filter with { ExcludeTrackIds = ["x"] } },
        ["long tail"] = Request with { LongTail = true },
        ["popularity penalty"] = Request with { LongTail = true, PopularityPenalty = 0.3 },
        ["diversity"] = Request with { Diversity = 0.25 },
        ["max tracks per artist"] = Request with { MaxTracksPerArtist = 2 },
        ["include song versions"] = Request with { IncludeSongVersions = true },
        ["song version"] = Request with { SongVersion = SongVersionChoice.BestMatch },
        ["min score"] = Request with { MinScore = 0.5 },
        ["artist window"] = Request with { ArtistWindow = 3 },
        ["group by"] = Request with { GroupBy = FeedGrouping.Genre },
        ["group size"] = Request with { GroupBy = FeedGrouping.Genre, GroupSize = 5 },
    };

    [Fact]
    public void The_last_rows_served_round_trip_in_feed_order()
    {
        var token = FeedToken.Encode(Key, Version, RequestFingerprint, [9, 3, 27], [27, 3, 9]);

        var (served, recent) = FeedToken.DecodeWithRecent(Key, token, Version, RequestFingerprint);

        Assert.Equal([3L, 9L, 27L], served.Order());
        Assert.Equal([27L, 3L, 9L], recent);
    }

    [Fact]
    public void A_format_2_token_without_the_last_rows_is_still_read()
    {
        // [2][version][fingerprint][count 2][+3][+6], signed: what servers issued before the artist window.
        byte[] body = [2, (byte)Version, .. RequestFingerprint, 2, 3, 6];

        var (served, recent) = FeedToken.DecodeWithRecent(Key, WithChecksum(body), Version, RequestFingerprint);

        Assert.Equal([3L, 9L], served.Order());
        Assert.Empty(recent);
    }

    [Fact]
    public void Served_ids_round_trip_for_the_same_request_and_model()
    {
        long[] served = [42, 5, 1_000_000_000_000, 3, 43, long.MaxValue / 2];

        var token = FeedToken.Encode(Key, Version, RequestFingerprint, served);

        Assert.Equal(served.ToHashSet(), FeedToken.Decode(Key, token, Version, RequestFingerprint));
    }

    [Fact]
    public void A_token_is_byte_for_byte_the_one_earlier_releases_issued()
    {
        // Written by the release that encoded tokens through a BinaryWriter (1687d2c): the format is the same.
        var token = FeedToken.Encode(Key, 300, RequestFingerprint, [5, 1_000_000_000_000, 3, 127, 128, 16_384], [128, 3]);

        Assert.Equal("A6wC2IxIwZDA7_5zVF9F2b07aQYDAnoBgH-AoJOljR0CgAED6oT-7M1w8b4JXdEiETftvw", token);
    }

    [Fact]
    public void A_token_with_nothing_served_round_trips_to_an_empty_set()
    {
        var token = FeedToken.Encode(Key, Version, RequestFingerprint, []);

        Assert.NotEmpty(token);
        Assert.Empty(FeedToken.Decode(Key, token, Version, RequestFingerprint));
    }

    [Fact]
    public void The_token_does_not_depend_on_the_order_ids_were_served_in()
    {
        var ids = Enumerable.Range(0, 300).Select(i => (long)i * 37).ToArray();
        var shuffled = ids.ToArray();
        new Random(3).Shuffle(shuffled);

        Assert.Equal(FeedToken.Encode(Key, Version, RequestFingerprint, ids), FeedToken.Encode(Key, Version, RequestFingerprint, shuffled));
    }

    [Fact]
    public void Ids_close_together_cost_about_one_byte_each_because_they_are_sorted_and_delta_encoded()
    {
        // 1000 consecutive ids past 2^40 in random order: as plain longs they would take 8000 bytes.
        var ids = Enumerable.Range(0, 1000).Select(i => 1_100_000_000_000L + i).ToArray();
        new Random(5).Shuffle(ids);

        var token = FeedToken.Encode(Key, Version, RequestFingerprint, ids);

        Assert.InRange(Base64Url.DecodeFromChars(token).Length, 1000, 1100);
        Assert.Equal(ids.ToHashSet(), FeedToken.Decode(Key, token, Version, RequestFingerprint));
    }

    [Fact]
    public void An_empty_token_is_the_first_page()
    {
        Assert.Empty(FeedToken.Decode(Key, "", Version, RequestFingerprint));
    }

    [Fact]
    public void A_token_issued_for_a_different_request_is_an_invalid_page_token()
    {
        var token = FeedToken.Encode(Key, Version, FeedToken.Fingerprint(ChangedRequests["strategy"]), [1, 2]);

        AssertInvalid(() => FeedToken.Decode(Key, token, Version, RequestFingerprint));
    }

    [Fact]
    public void A_token_from_another_model_version_has_expired()
    {
        var token = FeedToken.Encode(Key, Version, RequestFingerprint, [1, 2]);

        var error = Assert.Throws<PreconditionFailedException>(() => FeedToken.Decode(Key, token, Version + 1, RequestFingerprint));
        Assert.Equal(FeedToken.ExpiredReason, error.Reason);
    }

    [Fact]
    public void A_token_with_any_one_byte_flipped_is_an_invalid_page_token()
    {
        var bytes = Base64Url.DecodeFromChars(FeedToken.Encode(Key, Version, RequestFingerprint, [3, 9, 27, 81]));
        for (var i = 0; i < bytes.Length; i++)
        {
            var damaged = bytes.ToArray();
            damaged[i] ^= 0x01;
            AssertInvalid(() => FeedToken.Decode(Key, Base64Url.EncodeToString(damaged), Version, RequestFingerprint));
        }
    }

    [Fact]
    public void A_truncated_token_is_an_invalid_page_token()
    {
        var token = FeedToken.Encode(Key, Version, RequestFingerprint, [3, 9, 27, 81]);
        var bytes = Base64Url.DecodeFromChars(token);
        for (var length = 1; length < bytes.Length; length++) // length 0 would be "", the first page
        {
            AssertInvalid(() => FeedToken.Decode(Key, Base64Url.EncodeToString(bytes.AsSpan(0, length)), Version, RequestFingerprint));
        }

        AssertInvalid(() => FeedToken.Decode(Key, token[..^1], Version, RequestFingerprint));
    }

    [Fact]
    public void A_token_with_trailing_bytes_is_an_invalid_page_token_even_with_a_valid_signature()
    {
        var bytes = Base64Url.DecodeFromChars(FeedToken.Encode(Key, Version, RequestFingerprint, [3, 9]));

        AssertInvalid(() => FeedToken.Decode(Key, Base64Url.EncodeToString([.. bytes, 0]), Version, RequestFingerprint));
        AssertInvalid(() => FeedToken.Decode(Key, WithChecksum([.. Body(bytes), 0]), Version, RequestFingerprint));
    }

    [Fact]
    public void A_token_of_an_unknown_format_is_an_invalid_page_token_even_with_a_valid_signature()
    {
        var body = Body(Base64Url.DecodeFromChars(FeedToken.Encode(Key, Version, RequestFingerprint, [3, 9])));
        body[0] = 4;

        AssertInvalid(() => FeedToken.Decode(Key, WithChecksum(body), Version, RequestFingerprint));
    }

    [Fact]
    public void A_token_claiming_more_ids_than_it_holds_is_an_invalid_page_token_even_with_a_valid_signature()
    {
        // [format][version 7][fingerprint][count 5][ids +3, +6]: two ids where five were promised.
        var body = Body(Base64Url.DecodeFromChars(FeedToken.Encode(Key, Version, RequestFingerprint, [3, 9])));
        var countAt = 1 + 1 + RequestFingerprint.Length;
        Assert.Equal(2, body[countAt]);
        body[countAt] = 5;

        AssertInvalid(() => FeedToken.Decode(Key, WithChecksum(body), Version, RequestFingerprint));
    }

    [Fact]
    public void A_token_signed_under_another_key_is_an_invalid_page_token()
    {
        var token = FeedToken.Encode(OtherKey, Version, RequestFingerprint, [3, 9]);

        AssertInvalid(() => FeedToken.Decode(Key, token, Version, RequestFingerprint));
    }

    [Fact]
    public void A_forged_token_with_an_unkeyed_checksum_is_an_invalid_page_token()
    {
        // What the unsigned format 1 carried: anyone could compute this checksum.
        var body = Body(Base64Url.DecodeFromChars(FeedToken.Encode(Key, Version, RequestFingerprint, [3, 9])));
        var forged = Base64Url.EncodeToString([.. body, .. SHA256.HashData(body).AsSpan(0, 16)]);

        AssertInvalid(() => FeedToken.Decode(Key, forged, Version, RequestFingerprint));
    }

    [Theory]
    [InlineData("not a token!")]
    [InlineData("a")]
    [InlineData("AAAA*AAAA")]
    [InlineData("\u00e9\u00e9\u00e9\u00e9")]
    public void A_token_that_is_not_base64url_is_an_invalid_page_token(string token)
    {
        AssertInvalid(() => FeedToken.Decode(Key, token, Version, RequestFingerprint));
    }

    [Fact]
    public void The_fingerprint_is_sixteen_bytes_and_the_same_for_the_same_request()
    {
        Assert.Equal(16, RequestFingerprint.Length);
        Assert.Equal(RequestFingerprint, FeedToken.Fingerprint(Request with { }));
    }

    [Fact]
    public void The_fingerprint_ignores_k_explain_history_and_the_page_token()
    {
        // A radio client adds what it played to history between pages: the feed goes on.
        var nextPage = Request with { K = 3, Explain = true, History = ["played"], PageToken = FeedToken.Encode(Key, Version, RequestFingerprint, [1]) };

        Assert.Equal(RequestFingerprint, FeedToken.Fingerprint(nextPage));
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public void The_fingerprint_changes_with_what_shapes_the_feed(string change)
    {
        Assert.NotEqual(RequestFingerprint, FeedToken.Fingerprint(ChangedRequests[change]));
    }

    [Fact]
    public void Genre_lists_fingerprint_alike_in_any_order_and_case_as_the_filter_reads_them()
    {
        var reordered = Request with { Filter = Request.Filter with { IncludeGenres = ["JAZZ", "Rock"] } };

        Assert.Equal(RequestFingerprint, FeedToken.Fingerprint(reordered));
    }

    [Fact]
    public void Long_tail_without_a_penalty_fingerprints_like_the_default_penalty_it_ranks_with()
    {
        var implicitPenalty = Request with { LongTail = true };
        var explicitPenalty = Request with { LongTail = true, PopularityPenalty = RecommendQuery.DefaultPopularityPenalty };

        Assert.Equal(FeedToken.Fingerprint(implicitPenalty), FeedToken.Fingerprint(explicitPenalty));
    }

    [Theory]
    [MemberData(nameof(Lookalikes))]
    public void Requests_whose_lists_join_to_the_same_text_fingerprint_apart(string list)
    {
        var (one, other) = LookalikeRequests[list];

        Assert.NotEqual(FeedToken.Fingerprint(one), FeedToken.Fingerprint(other));
    }

    [Fact]
    public void The_fingerprint_of_a_request_is_stable_across_releases_so_its_tokens_stay_valid()
    {
        // Computed by the release that first issued tokens; a change here invalidates every token in flight.
        var request = Request with
        {
            Seeds = [Request.Seeds[0], new RecommendSeed("seeds[1]", null, [0.5, 0.25, 3, -7.5, 1, 0.1, 0.2, 0, 0.3, 0.9, 120.5, 4], 2.5, true)],
            Filter = Request.Filter with { ExcludeGenres = ["pop"], MinTempo = 80.5, ExcludeTrackIds = ["b", "a"], ExcludeExplicit = true },
            LongTail = true,
            PopularityPenalty = 0.3,
            MaxTracksPerArtist = 2,
        };

        Assert.Equal("29A3AF7A64DFDFAD7BFCC7B0861329E0", Convert.ToHexString(FeedToken.Fingerprint(request)));
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void The_fingerprint_of_each_option_is_stable_across_releases_so_its_tokens_stay_valid(string option)
    {
        // Computed by the release before the fingerprint was written without LINQ and boxing (1687d2c).
        var (request, fingerprint) = StableFingerprints[option];

        Assert.Equal(fingerprint, Convert.ToHexString(FeedToken.Fingerprint(request)));
    }

    public static TheoryData<string> Options => [.. StableFingerprints.Keys];

    private static Dictionary<string, (RecommendQuery, string)> StableFingerprints { get; } = new()
    {
        ["defaults"] = (new RecommendQuery { Seeds = [new RecommendSeed("", "t", null)] }, "A5AAAB2EE08C1AD24EB2DD92AE4D2E77"),
        ["escaped text"] = (Request with
        {
            Seeds = [new RecommendSeed("", "a,b\\c\u001fd", null), new RecommendSeed("seeds[1]", "\ud800é", null, 0.1, true)],
            Filter = TrackFilter.None with { IncludeGenres = ["b,x", "A"], ExcludeGenres = ["ß", "\\"], ExcludeTrackIds = ["z", "y,\u001f"] },
        }, "3C8DCF7BEB37A921DDF68034A5E4D29F"),
        ["numbers"] = (Request with
        {
            Seeds = [new RecommendSeed("", null, [0.1, 1e-300, -0.0, 3, double.Epsilon, 0.3, 1d / 3, 0, 0.5, 0.9, 99.99, 5])],
            Filter = TrackFilter.None with { MinPopularity = 0, MaxPopularity = 100, MinTempo = 60.25, MaxTempo = 1e3 },
            Diversity = 0.7, MaxTracksPerArtist = 1, PopularityPenalty = 1e-9, LongTail = true,
        }, "701264674F2F090A39297719640B3837"),
        ["strategy and flags"] = (Request with
        {
            Strategy = SeedStrategy.BestScore,
            Filter = Request.Filter with { ExcludeSeedArtists = true, ExcludeExplicit = true },
            IncludeSongVersions = true, SongVersion = SongVersionChoice.BestMatch,
        }, "FC6040BDAE8F0DBDFA82B23E4062D6B9"),
        ["later options"] = (Request with
        {
            MinScore = 0.35, ArtistWindow = 4, GroupBy = FeedGrouping.Genre, GroupSize = 3,
            Attributes = [new AttributeTuning(AttributeSpec.Find("tempo"), 90, null, 120.5), new AttributeTuning(AttributeSpec.Find("energy"), null, 0.8)],
            TargetWeight = 0.4,
            Steer = new FeatureSteering { Offsets = new Dictionary<string, double> { ["valence"] = 0.2, ["energy"] = -0.1 } },
            Filter = Request.Filter with { KeyMatch = Harmony.KeyMatchMode.Compatible, KeyEnergyBoost = true, TempoWindowPercent = 8, TempoHalfDouble = true },
        }, "512DAB42C19C98E3F0BDE1D5BB9442A3"),
        ["targets without a weight"] = (Request with
        {
            Attributes = [new AttributeTuning(AttributeSpec.Find("danceability"), Target: 0.9)],
            Filter = Request.Filter with { KeyMatch = Harmony.KeyMatchMode.Same, TempoWindowPercent = 5 },
        }, "430357FFF05C11145CF1DE5C0A16A5AC"),
    };

    public static TheoryData<string> Lookalikes => [.. LookalikeRequests.Keys];

    // Genres and track ids may hold commas (only their length is limited), so "a,b" is one genre, not two.
    private static Dictionary<string, (RecommendQuery, RecommendQuery)> LookalikeRequests { get; } = new()
    {
        ["include genres"] = (
            Request with { Filter = TrackFilter.None with { IncludeGenres = ["a,b"] } },
            Request with { Filter = TrackFilter.None with { IncludeGenres = ["a", "b"] } }),
        ["exclude genres"] = (
            Request with { Filter = TrackFilter.None with { ExcludeGenres = ["a,b"] } },
            Request with { Filter = TrackFilter.None with { ExcludeGenres = ["a", "b"] } }),
        ["exclude track ids"] = (
            Request with { Filter = TrackFilter.None with { ExcludeTrackIds = ["x,y"] } },
            Request with { Filter = TrackFilter.None with { ExcludeTrackIds = ["x", "y"] } }),
        ["seeds"] = (
            Request with { Seeds = [new RecommendSeed("", "a\u001f1\u001fFalse\u001fb", null)] },
            Request with { Seeds = [new RecommendSeed("", "a", null), new RecommendSeed("seeds[1]", "b", null)] }),
    };

    private static byte[] Body(byte[] token) => token[..^16];

    /// <summary>A body signed the way the server signs (the key is the test's own): only the body's content is wrong.</summary>
    private static string WithChecksum(byte[] body) => Base64Url.EncodeToString([.. body, .. HMACSHA256.HashData(Key32, body).AsSpan(0, 16)]);

    private static byte[] Key32 => [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private static void AssertInvalid(Action decode)
    {
        var error = Assert.Throws<InvalidInputException>(decode);
        Assert.Equal(FeedToken.InvalidReason, error.Reason);
        Assert.Equal("page_token", error.Field);
    }
}
