using System.Buffers.Binary;
using Google.Protobuf;
using MusicDna.Contracts.V1;
using MusicDna.Core.Errors;
using MusicDna.Engine.Map;

namespace MusicDna.Server.Grpc.Mapping;

/// <summary>
/// The sonic map → its compact wire form (see SonicMapChunk in the contract): one header with the genre table and
/// the bounds, then chunks of packed 16-bit positions and genre indexes beside the track ids.
/// </summary>
internal static class SonicMapMapper
{
    public const int DefaultChunkSize = 16_384;
    public const int MaxChunkSize = 65_536;
    private const double Steps = ushort.MaxValue;

    /// <exception cref="InvalidInputException">chunk_size is out of range.</exception>
    public static int ChunkSize(GetSonicMapRequest request)
    {
        var size = request.ChunkSize == 0 ? DefaultChunkSize : request.ChunkSize;
        return size is < 1 or > MaxChunkSize
            ? throw new InvalidInputException("chunk_size", $"must be between 1 and {MaxChunkSize}, got {request.ChunkSize}")
            : size;
    }

    public static IEnumerable<GetSonicMapResponse> ToContract(SonicMapView map, int chunkSize)
    {
        ArgumentNullException.ThrowIfNull(map);
        var points = map.Points;
        var genres = points.Select(p => p.Genre).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var genreIndex = genres.Select((g, i) => (g, i)).ToDictionary(p => p.g, p => (ushort)p.i, StringComparer.Ordinal);
        var (minX, maxX, minY, maxY) = Bounds(points);
        yield return new GetSonicMapResponse
        {
            Header = new SonicMapHeader
            {
                ModelVersion = map.ModelVersion,
                PointCount = points.Count,
                Layout = map.Layout,
                Genres = { genres },
                MinX = minX,
                MaxX = maxX,
                MinY = minY,
                MaxY = maxY,
            },
        };

        for (var start = 0; start < points.Count; start += chunkSize)
        {
            var count = Math.Min(chunkSize, points.Count - start);
            var positions = new byte[count * 4];
            var genreBytes = new byte[count * 2];
            var chunk = new SonicMapChunk { FirstPoint = start };
            for (var i = 0; i < count; i++)
            {
                var point = points[start + i];
                chunk.TrackIds.Add(point.TrackId);
                BinaryPrimitives.WriteUInt16LittleEndian(positions.AsSpan(i * 4), Quantise(point.Position.X, minX, maxX));
                BinaryPrimitives.WriteUInt16LittleEndian(positions.AsSpan((i * 4) + 2), Quantise(point.Position.Y, minY, maxY));
                BinaryPrimitives.WriteUInt16LittleEndian(genreBytes.AsSpan(i * 2), genreIndex[point.Genre]);
            }

            chunk.Positions = ByteString.CopyFrom(positions);
            chunk.Genres = ByteString.CopyFrom(genreBytes);
            yield return new GetSonicMapResponse { Chunk = chunk };
        }
    }

    private static (double MinX, double MaxX, double MinY, double MaxY) Bounds(IReadOnlyList<SonicMapPoint> points)
    {
        if (points.Count == 0)
        {
            return (0, 0, 0, 0);
        }

        double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
        foreach (var point in points)
        {
            minX = Math.Min(minX, point.Position.X);
            maxX = Math.Max(maxX, point.Position.X);
            minY = Math.Min(minY, point.Position.Y);
            maxY = Math.Max(maxY, point.Position.Y);
        }

        return (minX, maxX, minY, maxY);
    }

    private static ushort Quantise(double value, double min, double max) =>
        max > min ? (ushort)Math.Round(Math.Clamp((value - min) / (max - min), 0, 1) * Steps) : (ushort)0;
}
