using MusicDna.Core.Tracks;

namespace MusicDna.Core.Tests.Tracks;

public sealed class TrackValidatorTests
{
    // The dataset's first row (index 0).
    private static readonly Track Comedy = new(
        "5SuOikwiRyPMVoIQDJUgSV", "Comedy", ["Gen Hoshino"], "Comedy", "acoustic", 73, false, 230666,
        [0.676, 0.461, 1, -6.746, 0, 0.143, 0.0322, 1.01e-06, 0.358, 0.715, 87.917, 4]);

    [Fact]
    public void A_real_track_is_valid()
    {
        Assert.Null(TrackValidator.Validate(Comedy));
    }

    [Fact]
    public void The_dataset_track_with_no_name_album_artists_or_duration_is_valid()
    {
        var anonymous = Comedy with { TrackId = "1kR4gIb7nGxHPI3D2ifs59", Name = "", Artists = [], Album = "", DurationMs = 0 };

        Assert.Null(TrackValidator.Validate(anonymous));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" 5SuOikwiRyPMVoIQDJUgSV")]
    [InlineData("5SuOikwiRyPMVoIQDJUgSV\t")]
    [InlineData("5SuOikwi\nRyPMVoIQDJUgSV")]
    [InlineData("5SuOikwi\u0000RyPMVoIQDJUgSV")]
    public void A_blank_padded_or_control_character_track_id_is_refused(string trackId)
    {
        Assert.Equal("track_id", TrackValidator.Validate(Comedy with { TrackId = trackId })?.Field);
    }

    [Fact]
    public void A_track_id_of_128_characters_is_the_longest_allowed()
    {
        Assert.Null(TrackValidator.Validate(Comedy with { TrackId = new string('a', 128) }));
        Assert.Equal("track_id", TrackValidator.Validate(Comedy with { TrackId = new string('a', 129) })?.Field);
    }

    [Fact]
    public void Text_fields_over_their_limits_are_refused_by_name()
    {
        var longText = new string('x', 1_001);

        Assert.Equal("name", TrackValidator.Validate(Comedy with { Name = longText })?.Field);
        Assert.Equal("album", TrackValidator.Validate(Comedy with { Album = longText })?.Field);
        Assert.Equal("artists", TrackValidator.Validate(Comedy with { Artists = ["ok", longText] })?.Field);
        Assert.Equal("genre", TrackValidator.Validate(Comedy with { Genre = new string('g', 101) })?.Field);
        Assert.Null(TrackValidator.Validate(Comedy with { Name = new string('x', 1_000), Genre = new string('g', 100) }));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void Popularity_outside_0_to_100_is_refused(int popularity)
    {
        Assert.Equal("popularity", TrackValidator.Validate(Comedy with { Popularity = popularity })?.Field);
    }

    [Fact]
    public void A_negative_duration_is_refused()
    {
        Assert.Equal("duration_ms", TrackValidator.Validate(Comedy with { DurationMs = -1 })?.Field);
    }

    [Fact]
    public void A_bad_feature_is_named_by_its_feature_name()
    {
        double[] features = [.. Comedy.Features];
        features[10] = 401;

        Assert.Equal("features.tempo", TrackValidator.Validate(Comedy with { Features = features })?.Field);
    }

    [Fact]
    public void A_feature_vector_of_the_wrong_length_is_refused()
    {
        Assert.Equal("features", TrackValidator.Validate(Comedy with { Features = [0.5] })?.Field);
    }

    [Fact]
    public void The_first_problem_in_contract_order_is_reported()
    {
        var broken = Comedy with { TrackId = "", Popularity = 500, Features = [] };

        Assert.Equal("track_id", TrackValidator.Validate(broken)?.Field);
    }
}
