using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>Every bad input gets a precise status with a machine-readable reason, and changes nothing.</summary>
public sealed class ErrorStatusTests(TrainedServerFixture fixture) : IClassFixture<TrainedServerFixture>
{
    private MusicDnaService.MusicDnaServiceClient Client => fixture.Server.Client;

    private AudioFeatures ValidFeatures => fixture.Catalogue[0].Features;

    public static TheoryData<string, double, string> BadFeatureValues => new()
    {
        { "tempo", double.NaN, "features[1].tempo" },
        { "loudness", double.PositiveInfinity, "features[1].loudness" },
        { "danceability", 1.5, "features[1].danceability" },
        { "key", 12, "features[1].key" },
        { "mode", 0.5, "features[1].mode" },
    };

    [Theory]
    [MemberData(nameof(BadFeatureValues))]
    public async Task Embed_with_a_non_finite_or_out_of_range_feature_is_InvalidArgument_naming_the_field(string feature, double value, string field)
    {
        var bad = ValidFeatures.Clone(f => AudioFeatures.Descriptor.FindFieldByName(feature).Accessor.SetValue(f, value));
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.EmbedAsync(new EmbedRequest { Features = { ValidFeatures, bad } }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", field), error.Describe());
    }

    [Fact]
    public async Task Embed_with_an_unset_feature_is_InvalidArgument_saying_it_is_required()
    {
        var missing = ValidFeatures.Clone(f => f.ClearTimeSignature());
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.EmbedAsync(new EmbedRequest { Features = { missing } }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "features[0].time_signature"), error.Describe());
        Assert.Contains("required", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embed_with_no_tracks_or_more_than_the_limit_is_InvalidArgument()
    {
        var none = await Assert.ThrowsAsync<RpcException>(() => Client.EmbedAsync(new EmbedRequest()).ResponseAsync);
        var tooMany = await Assert.ThrowsAsync<RpcException>(() =>
            Client.EmbedAsync(new EmbedRequest { Features = { Enumerable.Repeat(ValidFeatures, 1001) } }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "features"), none.Describe());
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "features"), tooMany.Describe());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1001)]
    public async Task Recommend_with_k_out_of_range_is_InvalidArgument_naming_k(int k)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Client.RecommendAsync(new RecommendRequest { TrackId = fixture.Catalogue[0].TrackId, K = k }));

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "k"), error.Describe());
    }

    [Fact]
    public async Task Recommend_with_an_empty_track_id_or_no_seed_is_InvalidArgument()
    {
        var empty = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendAsync(new RecommendRequest { TrackId = "" }));
        var noSeed = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendAsync(new RecommendRequest { K = 3 }));
        var badFeatures = await Assert.ThrowsAsync<RpcException>(() =>
            Client.RecommendAsync(new RecommendRequest { Features = ValidFeatures.Clone(f => f.Valence = -0.1) }));

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "track_id"), empty.Describe());
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "seed"), noSeed.Describe());
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "features.valence"), badFeatures.Describe());
    }

    [Fact]
    public async Task Recommend_from_an_unknown_track_id_is_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendAsync(new RecommendRequest { TrackId = "no-such-track" }));

        Assert.Equal((StatusCode.NotFound, "TRACK_NOT_FOUND", null), error.Describe());
        Assert.Contains("no-such-track", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("epochs")]
    [InlineData("batch_size")]
    [InlineData("learning_rate")]
    [InlineData("latent_size")]
    [InlineData("hidden_layer_sizes[0]")]
    [InlineData("validation_fraction")]
    public async Task Train_with_an_option_out_of_range_is_InvalidArgument_naming_it_and_publishes_nothing(string option)
    {
        var request = TrainedServerFixture.QuickTraining;
        switch (option)
        {
            case "epochs": request.Epochs = -3; break;
            case "batch_size": request.BatchSize = -1; break;
            case "learning_rate": request.LearningRate = 5; break;
            case "latent_size": request.LatentSize = 40; break;
            case "hidden_layer_sizes[0]": request.HiddenLayerSizes.Add(0); break;
            case "validation_fraction": request.ValidationFraction = 0.9; break;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.TrainAsync(request));

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", option), error.Describe());
        var feed = await Client.RecommendAsync(new RecommendRequest { TrackId = fixture.Catalogue[0].TrackId, K = 1 });
        Assert.Equal(fixture.Model.ModelVersion, feed[^1].End.ModelVersion);
    }

    [Fact]
    public async Task Train_on_cuda_without_a_cuda_device_is_FailedPrecondition()
    {
        var request = TrainedServerFixture.QuickTraining;
        request.Device = Device.Cuda;

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.TrainAsync(request));

        Assert.Equal((StatusCode.FailedPrecondition, "CUDA_UNAVAILABLE", null), error.Describe());
    }

    [Fact]
    public async Task BulkIngest_of_a_message_over_the_batch_limit_is_InvalidArgument()
    {
        var track = fixture.Catalogue[0];
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.IngestAsync(Enumerable.Repeat(track, 10_001), batchSize: 10_001));

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "tracks"), error.Describe());
    }
}
