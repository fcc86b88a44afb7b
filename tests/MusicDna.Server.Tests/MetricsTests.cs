using System.Net;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>The Prometheus endpoint exposes per-RPC counters and MusicDna's own instruments after real calls.</summary>
public sealed class MetricsTests(TrainedServerFixture fixture) : IClassFixture<TrainedServerFixture>
{
    [Fact]
    public async Task Metrics_endpoint_returns_prometheus_text_with_per_rpc_counts_and_musicdna_instruments()
    {
        await fixture.Server.Client.RecommendAsync(new RecommendRequest { TrackId = fixture.Catalogue[0].TrackId, K = 3 });
        await fixture.Server.Client.EmbedAsync(new EmbedRequest { Features = { fixture.Catalogue[0].Features } });

        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await http.GetAsync(new Uri(fixture.Server.Address, "/metrics"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Matches("""http_server_request_duration_seconds_count\{[^}]*http_route="/musicdna\.v1\.MusicDnaService/Recommend"[^}]*\} [1-9]""", text);
        Assert.Matches("""http_server_request_duration_seconds_count\{[^}]*http_route="/musicdna\.v1\.MusicDnaService/Embed"[^}]*\} [1-9]""", text);
        Assert.Matches("""musicdna_ingest_rows_total(\{[^}]*\})? 1200""", text);
        Assert.Matches("""musicdna_train_epochs_total(\{[^}]*\})? [1-9]""", text);
        Assert.Matches("""musicdna_model_version(\{[^}]*\})? 1""", text);
        Assert.Matches("""musicdna_index_builds_total(\{[^}]*\})? 1\b""", text);
        Assert.Matches("""musicdna_index_loads_total(\{[^}]*\})? 0\b""", text);
    }
}
