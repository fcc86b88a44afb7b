using System.Buffers.Text;
using System.Security.Cryptography;
using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>What an outside test found the server let through, each proved closed against the real server.</summary>
public sealed class HardeningTests(TrainedServerFixture fixture) : IClassFixture<TrainedServerFixture>
{
    private const string Hostile = "probe\r\u001b[0m-end\0";

    private MusicDnaService.MusicDnaServiceClient Client => fixture.Server.Client;

    private string SeedId => fixture.Catalogue[0].TrackId;

    [Fact]
    public async Task Train_with_a_device_outside_the_enum_is_InvalidArgument_naming_device_and_trains_nothing()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.TrainAsync(new TrainRequest { Epochs = 1, Device = (Device)7 }));

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "device"), error.Describe());
        var feed = await Client.RecommendPageAsync(new RecommendRequest { TrackId = SeedId, K = 1 });
        Assert.Equal(fixture.Model.ModelVersion, feed.End.ModelVersion);
    }

    [Fact]
    public async Task Recommend_with_a_strategy_outside_the_enum_is_InvalidArgument_naming_strategy()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendAsync(new RecommendRequest { TrackId = SeedId, Strategy = (SeedStrategy)5 }));

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "strategy"), error.Describe());
    }

    public static TheoryData<string> HostileFields => ["track_id", "seeds[0].track_id", "filter.exclude_track_ids[0]", "filter.include_genres[0]", "filter.exclude_genres[0]"];

    [Theory]
    [MemberData(nameof(HostileFields))]
    public async Task An_id_or_genre_with_control_characters_is_InvalidArgument_naming_the_field_without_echoing_it(string field)
    {
        var request = field switch
        {
            "track_id" => new RecommendRequest { TrackId = Hostile },
            "seeds[0].track_id" => new RecommendRequest { Seeds = { new Seed { TrackId = Hostile } } },
            "filter.exclude_track_ids[0]" => new RecommendRequest { TrackId = SeedId, Filter = new RecommendFilter { ExcludeTrackIds = { Hostile } } },
            "filter.include_genres[0]" => new RecommendRequest { TrackId = SeedId, Filter = new RecommendFilter { IncludeGenres = { Hostile } } },
            _ => new RecommendRequest { TrackId = SeedId, Filter = new RecommendFilter { ExcludeGenres = { Hostile } } },
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendAsync(request));

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", field), error.Describe());
        Assert.DoesNotContain("probe", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Status.Detail, char.IsControl);
    }

    [Fact]
    public async Task FindGenreBenders_with_a_genre_holding_control_characters_is_InvalidArgument_naming_genre()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.FindGenreBendersAsync(new FindGenreBendersRequest { Genre = "rock\u001b[31m" }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "genre"), error.Describe());
    }

    [Fact]
    public async Task A_message_over_16_MiB_is_ResourceExhausted_with_ErrorInfo()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendAsync(new RecommendRequest { TrackId = new string('y', 17 * 1024 * 1024) }));

        Assert.Equal((StatusCode.ResourceExhausted, "MESSAGE_TOO_LARGE", null), error.Describe());
    }

    [Fact]
    public async Task A_page_token_with_an_unkeyed_checksum_is_refused_as_forged()
    {
        var page = await Client.RecommendPageAsync(new RecommendRequest { TrackId = SeedId, K = 3 });
        var bytes = Base64Url.DecodeFromChars(page.End.NextPageToken);
        var body = bytes[..^16];
        var forged = Base64Url.EncodeToString([.. body, .. SHA256.HashData(body).AsSpan(0, 16)]);

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendAsync(new RecommendRequest { TrackId = SeedId, K = 3, PageToken = forged }));

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_PAGE_TOKEN", "page_token"), error.Describe());
    }

    [Fact]
    public async Task A_catalogue_wide_FindGenreBenders_is_ranked_once_per_catalogue_revision()
    {
        var first = await Client.FindGenreBendersAsync(new FindGenreBendersRequest { K = 5 });
        var again = await Client.FindGenreBendersAsync(new FindGenreBendersRequest { K = 3 });

        Assert.Equal(first.Benders.Take(3).Select(b => b.Track.TrackId), again.Benders.Select(b => b.Track.TrackId));
        Assert.Equal(first.Candidates, again.Candidates);

        // A new track changes the catalogue: the next call ranks it too.
        var newcomer = fixture.Catalogue[1].Clone(t => t.TrackId = "hardening-newcomer");
        await Client.IngestAsync([newcomer]);
        var after = await Client.FindGenreBendersAsync(new FindGenreBendersRequest { K = 3 });
        Assert.Equal(first.Candidates + 1, after.Candidates);
    }
}
