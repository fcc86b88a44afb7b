using System.Globalization;
using System.Net;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Playwright;
using MusicDna.Contracts.V1;
using Xunit.Abstractions;

namespace MusicDna.Explorer.Tests;

/// <summary>
/// MusicDna Explorer as a curator uses it, in Debian's chromium: the map, the search, a click streaming a feed, the
/// steering controls and a refused key, each checked against what the real service answers over native gRPC.
/// </summary>
public sealed class ExplorerPageTests(ExplorerServer explorer, ITestOutputHelper output) : IClassFixture<ExplorerServer>
{
    private const float TimeoutMs = 60_000;

    [Fact]
    public async Task The_map_draws_every_catalogue_track_coloured_by_genre_with_a_legend()
    {
        var page = await ReadyPageAsync();
        Assert.Equal(ExplorerServer.CatalogueSize.ToString(CultureInfo.InvariantCulture), await page.GetAttributeAsync("#status", "data-point-count"));
        Assert.Equal(ExplorerServer.CatalogueSize.ToString(CultureInfo.InvariantCulture), await page.GetAttributeAsync("#map", "data-drawn-points"));
        // The canvas itself holds the points, in as many colours as there are genres on it.
        var colours = await page.EvaluateAsync<int>("""
            () => {
              const canvas = document.getElementById('map');
              const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
              const seen = new Set();
              for (let i = 0; i < data.length; i += 4) {
                if (data[i] !== 15 || data[i + 1] !== 17 || data[i + 2] !== 22) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
              }
              return seen.size;
            }
            """);
        var genres = explorer.Tracks.Select(t => t.Genre).Distinct().Count();
        Assert.True(colours >= genres, $"{colours} colours on the canvas for {genres} genres");
        Assert.Equal(genres, await page.Locator("#legend-items li").CountAsync());
    }

    [Fact]
    public async Task A_search_finds_a_track_by_the_start_of_a_title_word()
    {
        var page = await ReadyPageAsync();
        var track = DistinctiveTrack();
        var prefix = FirstWord(track)[..4].ToLowerInvariant();
        await page.FillAsync("#search-input", prefix);
        var result = page.Locator($"#search-results button[data-track-id='{track.TrackId}']");
        await result.WaitForAsync(new LocatorWaitForOptions { Timeout = TimeoutMs });
        Assert.Contains(track.Name, await result.InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clicking_a_search_result_streams_k_rows_with_scores_and_explanations_into_the_panel()
    {
        var page = await ReadyPageAsync();
        await page.FillAsync("#k", "7");
        var track = DistinctiveTrack();
        await page.FillAsync("#search-input", FirstWord(track));
        await page.ClickAsync($"#search-results button[data-track-id='{track.TrackId}']", new PageClickOptions { Timeout = TimeoutMs });
        var rows = await CompletedFeedAsync(page);

        var expected = await NativeFeedAsync(new RecommendRequest { TrackId = track.TrackId, K = 7, Explain = true });
        Assert.Equal(expected.Select(r => r.Track.TrackId), rows.Select(r => r.TrackId));
        Assert.Equal(expected.Select(r => r.Score.ToString("F3", CultureInfo.InvariantCulture)), rows.Select(r => r.Score));
        Assert.All(rows, r => Assert.Matches("^alike in .+ · differs in .+$", r.Why));
        Assert.Contains(track.Name, await page.InnerTextAsync("#feed-title"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clicking_a_point_streams_its_feed_and_marks_the_recommended_tracks_on_the_map()
    {
        var page = await ReadyPageAsync();
        var track = explorer.Tracks[explorer.Tracks.Count / 3];
        var position = await page.EvaluateAsync<JsonElement>("id => window.musicDnaExplorer.screenPositionOf(id)", track.TrackId);
        var before = await CanvasWhitePixelsAsync(page);
        await page.Mouse.ClickAsync(position.GetProperty("x").GetSingle(), position.GetProperty("y").GetSingle());
        var rows = await CompletedFeedAsync(page);

        var clicked = (await page.InnerTextAsync("#feed-title")).Split("track ")[1].Split(' ')[0];
        var expected = await NativeFeedAsync(new RecommendRequest { TrackId = clicked, K = 10, Explain = true });
        Assert.Equal(expected.Select(r => r.Track.TrackId), rows.Select(r => r.TrackId));
        // The seed's star, the paths to each row and the rows' white rings are drawn over the points.
        await page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");
        Assert.True(await CanvasWhitePixelsAsync(page) > before + 100, "no paths or markers were drawn for the feed");
    }

    [Fact]
    public async Task Changing_diversity_re_runs_the_feed_with_the_rows_the_service_ranks_for_it()
    {
        var page = await ReadyPageAsync();
        var track = DistinctiveTrack();
        await page.FillAsync("#search-input", FirstWord(track));
        await page.ClickAsync($"#search-results button[data-track-id='{track.TrackId}']", new PageClickOptions { Timeout = TimeoutMs });
        var plain = await CompletedFeedAsync(page);

        await page.FillAsync("#diversity", "0.9");
        var diverse = await CompletedFeedAsync(page);

        Assert.NotEqual(plain.Select(r => r.TrackId), diverse.Select(r => r.TrackId));
        var expected = await NativeFeedAsync(new RecommendRequest { TrackId = track.TrackId, K = 10, Diversity = 0.9, Explain = true });
        Assert.Equal(expected.Select(r => r.Track.TrackId), diverse.Select(r => r.TrackId));
    }

    [Fact]
    public async Task Turning_on_an_energy_target_re_runs_the_feed_with_the_rows_the_service_ranks_for_it()
    {
        var page = await ReadyPageAsync();
        var track = DistinctiveTrack();
        await page.FillAsync("#search-input", FirstWord(track));
        await page.ClickAsync($"#search-results button[data-track-id='{track.TrackId}']", new PageClickOptions { Timeout = TimeoutMs });
        var plain = await CompletedFeedAsync(page);

        // The far end of the range from the seed's own energy, so the pull has tracks to reorder.
        var target = track.Features.Energy < 0.5 ? 1.0 : 0.0;
        await page.CheckAsync("#target-energy-on");
        await page.FillAsync("#target-energy", target.ToString(CultureInfo.InvariantCulture));
        var steered = await CompletedFeedAsync(page);

        Assert.NotEqual(plain.Select(r => r.TrackId), steered.Select(r => r.TrackId));
        var expected = await NativeFeedAsync(new RecommendRequest
        {
            TrackId = track.TrackId,
            K = 10,
            Explain = true,
            Attributes = new TunableAttributes { TargetEnergy = target },
        });
        Assert.Equal(expected.Select(r => r.Track.TrackId), steered.Select(r => r.TrackId));
    }

    [Fact]
    public async Task An_invalid_key_shows_the_servers_status_and_reason_readably()
    {
        var page = await explorer.OpenAsync("not-a-key-of-this-server");
        var error = page.Locator("#map-error");
        await error.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = TimeoutMs });
        var text = await error.InnerTextAsync();
        Assert.StartsWith("UNAUTHENTICATED (API_KEY_INVALID): ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-key-of-this-server", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_is_served_on_the_http1_endpoint_with_a_same_origin_content_policy()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(explorer.PageAddress);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_native_grpc_endpoint_refuses_grpc_web_and_stays_http2_grpc()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(explorer.GrpcAddress, "/musicdna.v1.MusicDnaService/SearchTracks"))
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc-web");
        request.Headers.Add("authorization", $"Bearer {ExplorerServer.ReaderKey}");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{response.StatusCode} {response.Version}: {body}");
        Assert.Contains("gRPC-Web is served over HTTP/1.1 only", body, StringComparison.Ordinal);

        var native = await explorer.Reader.SearchTracksAsync(new SearchTracksRequest { Query = FirstWord(DistinctiveTrack()) });
        Assert.NotEmpty(native.Tracks);
    }

    [Fact]
    public async Task Screenshots_of_the_map_and_of_a_streamed_feed_are_taken()
    {
        // MUSICDNA_EXPLORER_URL points the same page at another server (the docs' pictures come from one serving the
        // full dataset, with authentication off); otherwise this class's server is used.
        var external = Environment.GetEnvironmentVariable("MUSICDNA_EXPLORER_URL");
        var address = string.IsNullOrEmpty(external) ? null : new Uri(external);
        var folder = Environment.GetEnvironmentVariable("MUSICDNA_EXPLORER_SCREENSHOTS")
            ?? Path.Combine(Repository.Root, "artifacts", "explorer-screenshots");
        Directory.CreateDirectory(folder);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var page = await explorer.OpenAsync(address is null ? ExplorerServer.ReaderKey : null, address, 1600, 1000);
        await page.WaitForSelectorAsync("body[data-ready=true]", new PageWaitForSelectorOptions { Timeout = 120_000 });
        var loadSeconds = clock.Elapsed.TotalSeconds;
        var status = await page.InnerTextAsync("#status");
        output.WriteLine($"page ready in {loadSeconds:F2} s: {status}");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "explorer-map.png") });

        // One genre highlighted from the legend, with its genre benders ringed.
        var genre = Environment.GetEnvironmentVariable("MUSICDNA_EXPLORER_GENRE") ?? explorer.Tracks[0].Genre;
        await page.Locator("#legend-items button").Filter(new LocatorFilterOptions { HasText = genre }).First.ClickAsync();
        await page.ClickAsync("#show-benders");
        await page.WaitForSelectorAsync("#status[data-benders]:not([data-benders=''])", new PageWaitForSelectorOptions { Timeout = 120_000 });
        await page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "explorer-genre.png") });
        await page.ClickAsync("#clear-feed");
        await page.Locator("#legend-items button.active").ClickAsync();

        var query = Environment.GetEnvironmentVariable("MUSICDNA_EXPLORER_QUERY") ?? FirstWord(DistinctiveTrack());
        await page.FillAsync("#search-input", query);
        var first = page.Locator("#search-results button").First;
        await first.ClickAsync(new LocatorClickOptions { Timeout = TimeoutMs });
        var seedId = await first.GetAttributeAsync("data-track-id");
        await page.FillAsync("#k", "20");
        await page.FillAsync("#diversity", "0.3");
        var rows = await CompletedFeedAsync(page);
        // Zoom in around the seed (the wheel, as a person would) so the paths to its rows can be told apart.
        var seed = await page.EvaluateAsync<JsonElement>("id => window.musicDnaExplorer.screenPositionOf(id)", seedId);
        await page.Mouse.MoveAsync(seed.GetProperty("x").GetSingle(), seed.GetProperty("y").GetSingle());
        for (var step = 0; step < 3; step++)
        {
            await page.Mouse.WheelAsync(0, -450);
        }

        await page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "explorer-feed.png") });
        output.WriteLine($"feed: {await page.InnerTextAsync("#feed-status")}");
        File.WriteAllText(Path.Combine(folder, "explorer-figures.txt"), $"page ready in {loadSeconds:F2} s\n{status}\n{await page.InnerTextAsync("#feed-status")}\n");
        Assert.Equal(20, rows.Count);
        Assert.True(File.Exists(Path.Combine(folder, "explorer-map.png")));
        Assert.True(File.Exists(Path.Combine(folder, "explorer-genre.png")));
    }

    private async Task<IPage> ReadyPageAsync()
    {
        var page = await explorer.OpenAsync();
        try
        {
            await page.WaitForSelectorAsync("body[data-ready=true]", new PageWaitForSelectorOptions { Timeout = TimeoutMs });
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"the page did not load its map: {await page.InnerTextAsync("body")}\n{explorer.ServerOutput}");
        }

        return page;
    }

    /// <summary>The panel's rows once the feed's end message arrived.</summary>
    private static async Task<List<(string TrackId, string Score, string Why)>> CompletedFeedAsync(IPage page)
    {
        await page.WaitForSelectorAsync("#feed-rows[data-complete=true]", new PageWaitForSelectorOptions { Timeout = TimeoutMs });
        var rows = await page.EvaluateAsync<JsonElement>("""
            () => [...document.querySelectorAll('#feed-rows li')].map(li => ({
              id: li.dataset.trackId,
              score: li.querySelector('.score').textContent,
              why: li.querySelector('.why')?.textContent ?? ''
            }))
            """);
        return [.. rows.EnumerateArray().Select(r => (r.GetProperty("id").GetString()!, r.GetProperty("score").GetString()!, r.GetProperty("why").GetString()!))];
    }

    private static Task<int> CanvasWhitePixelsAsync(IPage page) => page.EvaluateAsync<int>("""
        () => {
          const canvas = document.getElementById('map');
          const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          let white = 0;
          for (let i = 0; i < data.length; i += 4) if (data[i] > 200 && data[i + 1] > 200 && data[i + 2] > 200) white++;
          return white;
        }
        """);

    private async Task<List<Recommendation>> NativeFeedAsync(RecommendRequest request)
    {
        using var call = explorer.Reader.Recommend(request);
        var rows = new List<Recommendation>();
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            if (message.Recommendation is { } row)
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>A track whose title starts with a word of letters only that no other track's title starts with.</summary>
    private Track DistinctiveTrack()
    {
        var byWord = explorer.Tracks.Where(t => FirstWord(t).Length >= 5 && FirstWord(t).All(char.IsAsciiLetter))
            .GroupBy(t => FirstWord(t).ToLowerInvariant());
        return byWord.Where(g => g.Count() == 1).OrderBy(g => g.Key, StringComparer.Ordinal).First().Single();
    }

    private static string FirstWord(Track track) => track.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
}
