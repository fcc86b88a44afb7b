using System.Buffers.Binary;
using Grpc.Core;
using MusicDna.Contracts.V1;
using MusicDna.Core.Numerics;

namespace MusicDna.Server.Tests;

/// <summary>GetSonicMap over the real server: the stored layout, its compact stream, and tracks ingested after it.</summary>
public sealed class SonicMapTests(TrainedServerFixture fixture) : IClassFixture<TrainedServerFixture>
{
    private MusicDnaService.MusicDnaServiceClient Client => fixture.Server.Client;

    [Fact]
    public async Task The_stream_is_one_header_then_chunks_holding_every_track_once_with_its_genre()
    {
        var messages = await ReadAsync(Client, 500);

        Assert.Equal(GetSonicMapResponse.PartOneofCase.Header, messages[0].PartCase);
        Assert.All(messages.Skip(1), m => Assert.Equal(GetSonicMapResponse.PartOneofCase.Chunk, m.PartCase));
        var header = messages[0].Header;
        Assert.Equal(fixture.Model.ModelVersion, header.ModelVersion);
        Assert.Equal(TrainedServerFixture.CatalogueSize, header.PointCount);
        Assert.Equal([0L, 500L, 1000L], messages.Skip(1).Select(m => m.Chunk.FirstPoint));
        Assert.Equal(header.Genres.Order(StringComparer.Ordinal), header.Genres);
        var map = Unpack(messages);
        Assert.Equal(fixture.Catalogue.Select(t => t.TrackId).Order(StringComparer.Ordinal), map.Keys.Order(StringComparer.Ordinal));
        Assert.All(fixture.Catalogue, t => Assert.Equal(t.Genre, map[t.TrackId].Genre));
        Assert.All(messages.Skip(1), m =>
        {
            Assert.Equal(m.Chunk.TrackIds.Count * 4, m.Chunk.Positions.Length);
            Assert.Equal(m.Chunk.TrackIds.Count * 2, m.Chunk.Genres.Length);
        });
        // The bounds are the points' own: some point sits on each edge.
        Assert.Contains(map.Values, p => p.X == header.MinX);
        Assert.Contains(map.Values, p => p.X == header.MaxX);
        Assert.Contains(map.Values, p => p.Y == header.MinY);
        Assert.Contains(map.Values, p => p.Y == header.MaxY);
    }

    [Fact]
    public async Task The_layout_keeps_more_of_each_tracks_latent_neighbours_beside_it_than_pca_does()
    {
        var map = Unpack(await ReadAsync(Client, 0));
        var vectors = await Client.UnitVectorsAsync(fixture.Catalogue);
        var ids = fixture.Catalogue.Select(t => t.TrackId).ToArray();
        var latent = ids.Select(id => vectors[id]).ToArray();
        var flat = latent.SelectMany(v => v).ToArray();
        var pca = Pca.Fit(flat, latent[0].Length, 2).Transform(flat);

        var layout = NeighbourOverlap(ids, latent, i => (map[ids[i]].X, map[ids[i]].Y));
        var projected = NeighbourOverlap(ids, latent, i => (pca[i * 2], pca[(i * 2) + 1]));

        // Chance is 10 in 1,200; the neighbour-graph layout keeps a good share, and more than the linear projection.
        Assert.True(layout > 0.3, $"the layout keeps {layout:P1} of the 10 latent neighbours");
        Assert.True(layout > projected, $"layout {layout:P1} against PCA {projected:P1}");
    }

    [Fact]
    public async Task A_chunk_size_out_of_range_is_InvalidArgument_naming_chunk_size()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(Client, 65_537));

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_ARGUMENT", "chunk_size"), error.Describe());
    }

    [Fact]
    public async Task Without_a_model_the_map_is_FailedPrecondition_NO_MODEL()
    {
        using var data = new TempDirectory();
        await using var server = await MusicDnaTestServer.StartAsync(data.Path);

        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(server.Client, 0));

        Assert.Equal((StatusCode.FailedPrecondition, "NO_MODEL", null), error.Describe());
    }

    [Fact]
    public async Task A_track_ingested_after_publication_is_placed_beside_its_twin_and_keeps_its_place_after_a_restart()
    {
        using var data = new TempDirectory();
        var catalogue = SampleCatalogue.Slice(400);
        var twinOf = catalogue[123];
        var newcomer = twinOf.Clone(t => t.TrackId = "explorer-newcomer-1");
        (double X, double Y) placed;
        await using (var server = await MusicDnaTestServer.StartAsync(data.Path))
        {
            await server.Client.IngestAsync(catalogue);
            await server.Client.TrainAsync(TrainedServerFixture.QuickTraining);
            var before = Unpack(await ReadAsync(server.Client, 0));
            await server.Client.IngestAsync([newcomer]);
            var after = Unpack(await ReadAsync(server.Client, 0));

            Assert.Equal(before.Count + 1, after.Count);
            Assert.All(before, p => Assert.Equal(p.Value, after[p.Key]));
            var span = Math.Max(before.Values.Max(p => p.X) - before.Values.Min(p => p.X), before.Values.Max(p => p.Y) - before.Values.Min(p => p.Y));
            var twin = after[twinOf.TrackId];
            placed = (after[newcomer.TrackId].X, after[newcomer.TrackId].Y);
            var distance = Math.Sqrt(Math.Pow(placed.X - twin.X, 2) + Math.Pow(placed.Y - twin.Y, 2));
            Assert.True(distance < span * 0.1, $"placed {distance:F3} from its twin on a map {span:F3} across");
        }

        await using (var restarted = await MusicDnaTestServer.StartAsync(data.Path))
        {
            var map = Unpack(await ReadAsync(restarted.Client, 0));
            Assert.Equal(catalogue.Count + 1, map.Count);
            Assert.Equal(placed.X, map[newcomer.TrackId].X, 1e-3);
            Assert.Equal(placed.Y, map[newcomer.TrackId].Y, 1e-3);
        }
    }

    /// <summary>The share of each track's 10 nearest latent neighbours (cosine) that are among its 10 nearest on a 2-d layout.</summary>
    private static double NeighbourOverlap(string[] ids, float[][] latent, Func<int, (double X, double Y)> position)
    {
        const int K = 10;
        var n = ids.Length;
        var kept = 0;
        for (var i = 0; i < n; i += 4)
        {
            var (x, y) = position(i);
            var byLatent = Enumerable.Range(0, n).Where(j => j != i).OrderByDescending(j => ClientExtensions.Cosine(latent[i], latent[j])).Take(K);
            var byMap = Enumerable.Range(0, n).Where(j => j != i).OrderBy(j => Math.Pow(position(j).X - x, 2) + Math.Pow(position(j).Y - y, 2)).Take(K).ToHashSet();
            kept += byLatent.Count(byMap.Contains);
        }

        return kept / (double)(((n + 3) / 4) * K);
    }

    private static async Task<List<GetSonicMapResponse>> ReadAsync(MusicDnaService.MusicDnaServiceClient client, int chunkSize)
    {
        using var call = client.GetSonicMap(new GetSonicMapRequest { ChunkSize = chunkSize });
        var messages = new List<GetSonicMapResponse>();
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            messages.Add(message);
        }

        return messages;
    }

    /// <summary>Track id → its position (dequantised with the header's bounds, as the contract says) and genre.</summary>
    private static Dictionary<string, (double X, double Y, string Genre)> Unpack(List<GetSonicMapResponse> messages)
    {
        var header = messages[0].Header;
        var result = new Dictionary<string, (double X, double Y, string Genre)>();
        foreach (var chunk in messages.Skip(1).Select(m => m.Chunk))
        {
            var positions = chunk.Positions.Span;
            var genres = chunk.Genres.Span;
            for (var i = 0; i < chunk.TrackIds.Count; i++)
            {
                var qx = BinaryPrimitives.ReadUInt16LittleEndian(positions[(i * 4)..]);
                var qy = BinaryPrimitives.ReadUInt16LittleEndian(positions[((i * 4) + 2)..]);
                result.Add(chunk.TrackIds[i], (
                    header.MinX + ((header.MaxX - header.MinX) * qx / 65535.0),
                    header.MinY + ((header.MaxY - header.MinY) * qy / 65535.0),
                    header.Genres[BinaryPrimitives.ReadUInt16LittleEndian(genres[(i * 2)..])]));
            }
        }

        return result;
    }
}
