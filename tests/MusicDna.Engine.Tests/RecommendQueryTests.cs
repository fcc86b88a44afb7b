using MusicDna.Core.Errors;
using MusicDna.Engine.Recommend;

namespace MusicDna.Engine.Tests;

/// <summary>Every new request option refused out of range or in contradiction, naming the contract's field.</summary>
public sealed class RecommendQueryTests
{
    private static readonly RecommendQuery Valid = new() { Seeds = [new RecommendSeed("", "seed", null)] };

    public static TheoryData<string> Refused => [.. RefusedQueries.Keys];

    private static Dictionary<string, (RecommendQuery Query, string Field)> RefusedQueries { get; } = new()
    {
        ["song version with every version"] = (Valid with { IncludeSongVersions = true, SongVersion = SongVersionChoice.BestMatch }, "song_version"),
        ["min score not finite"] = (Valid with { MinScore = double.NaN }, "min_score"),
        ["min score too large"] = (Valid with { MinScore = 101 }, "min_score"),
        ["min score too small"] = (Valid with { MinScore = -101 }, "min_score"),
        ["history too long"] = (Valid with { History = [.. Enumerable.Range(0, 1001).Select(i => $"t{i}")] }, "history"),
        ["history id empty"] = (Valid with { History = ["a", ""] }, "history[1]"),
        ["history id with a line break"] = (Valid with { History = ["a\nb"] }, "history[0]"),
        ["history id too long"] = (Valid with { History = [new string('x', 129)] }, "history[0]"),
        ["artist window negative"] = (Valid with { ArtistWindow = -1 }, "artist_window"),
        ["artist window too large"] = (Valid with { ArtistWindow = 101 }, "artist_window"),
        ["group size without group by"] = (Valid with { GroupSize = 3 }, "group_size"),
        ["group size too large"] = (Valid with { GroupBy = FeedGrouping.Genre, GroupSize = 101 }, "group_size"),
        ["group size negative"] = (Valid with { GroupBy = FeedGrouping.Genre, GroupSize = -1 }, "group_size"),
        ["too many grouped rows"] = (Valid with { GroupBy = FeedGrouping.Artist, K = 1000, GroupSize = 11 }, "group_size"),
        ["shelves with long tail"] = (Valid with { GroupBy = FeedGrouping.Genre, LongTail = true }, "group_by"),
        ["shelves with diversity"] = (Valid with { GroupBy = FeedGrouping.Genre, Diversity = 0.2 }, "group_by"),
        ["shelves with an artist window"] = (Valid with { GroupBy = FeedGrouping.Genre, ArtistWindow = 3 }, "group_by"),
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void An_invalid_option_is_refused_naming_its_field(string change)
    {
        var (query, field) = RefusedQueries[change];

        var error = Assert.Throws<InvalidInputException>(query.Validate);

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void The_largest_accepted_values_are_accepted()
    {
        var query = Valid with
        {
            MinScore = -100,
            History = [.. Enumerable.Range(0, 1000).Select(i => new string('h', 120) + i)],
            ArtistWindow = 100,
            SongVersion = SongVersionChoice.BestMatch,
        };

        query.Validate();
        (Valid with { GroupBy = FeedGrouping.Genre, K = 100, GroupSize = 100 }).Validate();
    }

    [Fact]
    public void Shelves_default_to_three_rows_each()
    {
        var query = Valid with { GroupBy = FeedGrouping.Genre, K = 4 };

        Assert.Equal(3, query.EffectiveGroupSize);
        Assert.Equal(12, query.PageCapacity);
    }
}
