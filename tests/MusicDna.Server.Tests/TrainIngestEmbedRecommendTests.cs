using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>The happy path over the real server: ingest, train, embed, recommend, cold start.</summary>
public sealed class TrainIngestEmbedRecommendTests(TrainedServerFixture fixture) : IClassFixture<TrainedServerFixture>
{
    private MusicDnaService.MusicDnaServiceClient Client => fixture.Server.Client;

    [Fact]
    public void BulkIngest_summary_counts_every_sample_row_as_inserted()
    {
        Assert.Equal(TrainedServerFixture.CatalogueSize, fixture.Ingest.Received);
        Assert.Equal(TrainedServerFixture.CatalogueSize, fixture.Ingest.Inserted);
        Assert.Equal(0, fixture.Ingest.Rejected);
        Assert.Equal(0, fixture.Ingest.ModelVersion);
    }

    [Fact]
    public void Train_streams_one_progress_message_per_epoch_then_the_published_model()
    {
        var progress = fixture.TrainStream.Take(fixture.TrainStream.Count - 1).Select(m => m.Progress).ToList();
        Assert.All(progress, p => Assert.NotNull(p));
        Assert.Equal(Enumerable.Range(1, progress.Count), progress.Select(p => p.Epoch));
        Assert.All(progress, p => Assert.True(p.TrainLoss > 0 && p.ValidationLoss > 0 && p.Epochs == 6));

        var model = fixture.Model;
        Assert.Equal(1, model.ModelVersion);
        Assert.Equal(6, model.LatentSize);
        Assert.Equal(TrainedServerFixture.CatalogueSize, model.TracksIndexed);
        Assert.InRange(model.RowsUsed, 900, 1000); // 80 % of the catalogue trains; the rest validates and tests
        Assert.InRange(model.TestMse, 1e-6, 0.2);
        Assert.Equal(["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
            "instrumentalness", "liveness", "valence", "tempo", "time_signature"], model.FeatureNames);
    }

    [Fact]
    public async Task Embed_returns_one_latent_vector_per_track_under_the_current_model()
    {
        var request = new EmbedRequest { Features = { fixture.Catalogue.Take(3).Select(t => t.Features) } };
        var response = await Client.EmbedAsync(request);

        Assert.Equal(fixture.Model.ModelVersion, response.ModelVersion);
        Assert.Equal(3, response.Embeddings.Count);
        Assert.All(response.Embeddings, e => Assert.Equal(6, e.Values.Count));
        Assert.NotEqual(response.Embeddings[0].Values, response.Embeddings[1].Values);
    }

    [Fact]
    public async Task Recommend_by_track_id_returns_k_tracks_best_first_without_the_seed()
    {
        var seed = fixture.Catalogue[17];
        var messages = await Client.RecommendAsync(new RecommendRequest { TrackId = seed.TrackId, K = 25 });

        var items = messages.Where(m => m.ResultCase == RecommendResponse.ResultOneofCase.Recommendation).Select(m => m.Recommendation).ToList();
        Assert.Equal(25, items.Count);
        Assert.Equal(Enumerable.Range(1, 25), items.Select(i => i.Rank));
        Assert.DoesNotContain(items, i => i.Track.TrackId == seed.TrackId);
        Assert.True(items.Zip(items.Skip(1)).All(p => p.First.Score >= p.Second.Score), "scores must not increase");
        Assert.All(items, i => Assert.InRange(i.Score, -1.0001f, 1.0001f));
        Assert.All(items, i => Assert.False(string.IsNullOrEmpty(i.Track.Genre)));

        var end = messages[^1];
        Assert.Equal(RecommendResponse.ResultOneofCase.End, end.ResultCase);
        Assert.Equal((fixture.Model.ModelVersion, 25), (end.End.ModelVersion, end.End.Returned));
    }

    [Fact]
    public async Task Recommend_first_result_is_the_brute_force_cosine_nearest_neighbour()
    {
        var vectors = new List<float[]>();
        foreach (var chunk in fixture.Catalogue.Chunk(1000))
        {
            var embedded = await Client.EmbedAsync(new EmbedRequest { Features = { chunk.Select(t => t.Features) } });
            vectors.AddRange(embedded.Embeddings.Select(e => e.Values.ToArray()));
        }

        foreach (var seedIndex in new[] { 3, 250, 777 })
        {
            var expected = Enumerable.Range(0, vectors.Count)
                .Where(i => i != seedIndex)
                .MaxBy(i => Cosine(vectors[seedIndex], vectors[i]));
            var messages = await Client.RecommendAsync(new RecommendRequest { TrackId = fixture.Catalogue[seedIndex].TrackId, K = 1 });

            var top = messages[0].Recommendation;
            Assert.Equal(fixture.Catalogue[expected].TrackId, top.Track.TrackId);
            Assert.Equal(Cosine(vectors[seedIndex], vectors[expected]), top.Cosine, 4);
        }
    }

    [Fact]
    public async Task Recommend_from_raw_features_of_an_unknown_track_works_for_cold_start()
    {
        var features = fixture.Catalogue[5].Features.Clone(f => { f.Tempo = 171.5; f.Energy = 0.93; });
        var messages = await Client.RecommendAsync(new RecommendRequest { Features = features, K = 5 });

        Assert.Equal(5, messages.Count(m => m.Recommendation is not null));
        Assert.Equal(5, messages[^1].End.Returned);
    }

    [Fact]
    public async Task A_track_ingested_after_training_is_recommendable_at_once()
    {
        var features = new AudioFeatures
        {
            Danceability = 0.31, Energy = 0.12, Key = 3, Loudness = -21.4, Mode = 0, Speechiness = 0.04,
            Acousticness = 0.97, Instrumentalness = 0.93, Liveness = 0.09, Valence = 0.08, Tempo = 64.2, TimeSignature = 3,
        };
        var track = new Track { TrackId = "cold-start-" + Guid.NewGuid().ToString("N"), Name = "Brand new upload", Genre = "ambient", Features = features };

        var ingest = await Client.IngestAsync([track]);
        Assert.Equal((1, 1, fixture.Model.ModelVersion), (ingest.Inserted, ingest.Received, ingest.ModelVersion));

        // Its own features as the seed: the new track is its own best match (cosine 1).
        var byFeatures = await Client.RecommendAsync(new RecommendRequest { Features = features, K = 3 });
        Assert.Equal(track.TrackId, byFeatures[0].Recommendation.Track.TrackId);
        Assert.Equal(1f, byFeatures[0].Recommendation.Score, 4);

        // And it can seed a feed itself.
        var byId = await Client.RecommendAsync(new RecommendRequest { TrackId = track.TrackId, K = 3 });
        Assert.Equal(3, byId.Count(m => m.Recommendation is not null));
    }

    [Fact]
    public async Task BulkIngest_rejects_bad_rows_with_their_row_numbers_and_keeps_the_good_ones()
    {
        var good = fixture.Catalogue[0].Clone();
        good.TrackId = "ingest-good-" + Guid.NewGuid().ToString("N");
        var untitled = good.Clone();
        untitled.TrackId = "ingest-untitled-" + Guid.NewGuid().ToString("N");
        untitled.Name = "";
        untitled.Album = "";
        untitled.Artists.Clear();
        var nanTempo = good.Clone();
        nanTempo.TrackId = "ingest-nan";
        nanTempo.Features.Tempo = double.NaN;
        var noId = good.Clone();
        noId.TrackId = "  ";
        var missingFeature = good.Clone();
        missingFeature.TrackId = "ingest-missing";
        missingFeature.Features.ClearValence();
        var popularity = good.Clone();
        popularity.TrackId = "ingest-popularity";
        popularity.Popularity = 101;

        var summary = await Client.IngestAsync([good, nanTempo, untitled, noId, missingFeature, popularity]);

        Assert.Equal((6, 2, 0, 4), (summary.Received, summary.Inserted, summary.Updated, summary.Rejected));
        Assert.Equal([2L, 4L, 5L, 6L], summary.Rejections.Select(r => r.RowNumber));
        Assert.Equal(["features.tempo", "track_id", "features.valence", "popularity"], summary.Rejections.Select(r => r.Field));
        Assert.All(summary.Rejections, r => Assert.False(string.IsNullOrWhiteSpace(r.Reason)));

        var untitledFeed = await Client.RecommendAsync(new RecommendRequest { TrackId = untitled.TrackId, K = 1 });
        Assert.Single(untitledFeed, m => m.Recommendation is not null);
        var rejected = await Assert.ThrowsAsync<RpcException>(() => Client.RecommendAsync(new RecommendRequest { TrackId = "ingest-nan" }));
        Assert.Equal(StatusCode.NotFound, rejected.StatusCode);
    }

    [Fact]
    public async Task BulkIngest_of_a_repeated_track_id_updates_it_and_the_last_row_wins()
    {
        var first = fixture.Catalogue[1].Clone();
        first.TrackId = "repeat-" + Guid.NewGuid().ToString("N");
        first.Genre = "pop";
        first.Features.Tempo = 203.7; // unique features, so the track is its own single best match
        first.Features.Liveness = 0.991;
        first.Features.Valence = 0.013;
        var second = first.Clone();
        second.Genre = "dance";

        var summary = await Client.IngestAsync([first, second]);
        var again = await Client.IngestAsync([first.Clone(t => t.Genre = "k-pop")]);

        Assert.Equal((1, 1), (summary.Inserted, summary.Updated));
        Assert.Equal((0, 1), (again.Inserted, again.Updated));
        var feed = await Client.RecommendAsync(new RecommendRequest { Features = first.Features, K = 1 });
        Assert.Equal((first.TrackId, "k-pop"), (feed[0].Recommendation.Track.TrackId, feed[0].Recommendation.Track.Genre));
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}
