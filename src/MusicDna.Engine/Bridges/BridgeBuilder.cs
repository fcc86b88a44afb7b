using MusicDna.Core.Errors;
using MusicDna.Engine.Snapshots;
using MusicDna.Index;

namespace MusicDna.Engine.Bridges;

/// <summary>
/// Lays a bridge from A to B: step i aims at the point i / (steps + 1) of the way from A's unit latent vector to B's
/// (normalised linear interpolation) and takes, among the <see cref="Choices"/> nearest songs to it not used yet, the
/// one with the smallest angle to that point plus the angle from the previous track, so steps stay short and the path
/// keeps moving towards B. No track, and no song (A's and B's included), appears twice.
/// </summary>
public sealed class BridgeBuilder(ModelSnapshotHolder snapshots)
{
    public const int Choices = 8;
    private const int FirstDepth = 64;

    public IEnumerable<BridgeEvent> Build(BridgeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        return Lay(query, cancellationToken);
    }

    private IEnumerable<BridgeEvent> Lay(BridgeQuery query, CancellationToken cancellationToken)
    {
        using var lease = snapshots.Acquire();
        var snapshot = lease.Snapshot;
        var unknown = new[] { query.FromTrackId, query.ToTrackId }.Where(id => !snapshot.Tracks.TryFind(id, out _, out _)).ToList();
        if (unknown.Count > 0)
        {
            throw new NotFoundException("track", string.Join(", ", unknown), "TRACK_NOT_FOUND");
        }

        snapshot.Tracks.TryFind(query.FromTrackId, out var fromRow, out var from);
        snapshot.Tracks.TryFind(query.ToTrackId, out var toRow, out var to);
        var usedRows = new HashSet<long> { fromRow, toRow };
        var usedSongs = new HashSet<UInt128> { from.Song, to.Song };
        var fromVector = from.Vector.ToArray();
        var toVector = to.Vector.ToArray();
        var previous = fromVector;
        var path = 0d;
        var returned = 0;
        for (var i = 1; i <= query.Steps; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var t = (float)i / (query.Steps + 1);
            var aim = new float[previous.Length];
            for (var d = 0; d < aim.Length; d++)
            {
                aim[d] = ((1 - t) * fromVector[d]) + (t * toVector[d]);
            }

            // Opposite ends leave no midpoint direction: aim from the previous track instead.
            if (aim.Sum(v => (double)v * v) < 1e-12)
            {
                aim = (float[])previous.Clone();
            }

            VectorMath.Normalize(aim);
            if (Choose(snapshot, aim, previous, usedRows, usedSongs) is not { } chosen)
            {
                break;
            }

            usedRows.Add(chosen.Row);
            usedSongs.Add(chosen.Facts.Song);
            var chosenVector = chosen.Facts.Vector.ToArray();
            var step = Angle(previous, chosenVector);
            path += step;
            previous = chosenVector;
            returned++;
            yield return new BridgeStep(
                i,
                chosen.Facts.Track,
                snapshot.Scale.Score(UnitVector.Dot(chosenVector, fromVector)),
                snapshot.Scale.Score(UnitVector.Dot(chosenVector, toVector)),
                step);
        }

        path += Angle(previous, toVector);
        yield return new BridgeEnd(snapshot.Version, returned, path, Angle(fromVector, toVector));
    }

    private static (long Row, TrackFacts Facts)? Choose(
        ModelSnapshot snapshot, float[] aim, float[] previous, HashSet<long> usedRows, HashSet<UInt128> usedSongs)
    {
        var count = (int)Math.Min(snapshot.TrackCount, int.MaxValue);
        var depth = Math.Min(FirstDepth, count);
        while (depth > 0)
        {
            var options = new List<(long Row, TrackFacts Facts, double Cost)>();
            var songs = new HashSet<UInt128>();
            foreach (var hit in snapshot.Index.Search(aim, depth))
            {
                if (!usedRows.Contains(hit.Id) && snapshot.Tracks.TryGet(hit.Id, out var facts)
                    && !usedSongs.Contains(facts.Song) && songs.Add(facts.Song))
                {
                    options.Add((hit.Id, facts, Angle(aim, facts.Vector) + Angle(previous, facts.Vector)));
                    if (options.Count == Choices)
                    {
                        break;
                    }
                }
            }

            if (options.Count == Choices || depth >= count)
            {
                if (options.Count == 0)
                {
                    return null;
                }

                var best = options.MinBy(o => o.Cost);
                return (best.Row, best.Facts);
            }

            depth = Math.Min(depth * 2, count);
        }

        return null;
    }

    private static double Angle(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Math.Acos(Math.Clamp(UnitVector.Dot(a, b), -1f, 1f));
}
