using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Map;

/// <summary>Reads the serving snapshot's sonic map for clients that draw it.</summary>
public sealed class SonicMapReader(ModelSnapshotHolder snapshots)
{
    /// <summary>Every placed track of the serving snapshot, in row id order.</summary>
    /// <exception cref="Core.Errors.PreconditionFailedException">No model is serving (NO_MODEL).</exception>
    public SonicMapView Read(CancellationToken cancellationToken = default)
    {
        using var lease = snapshots.Acquire();
        var snapshot = lease.Snapshot;
        var rows = snapshot.Tracks.Rows.Select(r => r.Key).ToArray();
        Array.Sort(rows);
        cancellationToken.ThrowIfCancellationRequested();
        var points = new List<SonicMapPoint>(rows.Length);
        foreach (var rowId in rows)
        {
            // A track being ingested right now may have its facts before its position: it joins the next read.
            if (snapshot.Tracks.TryGet(rowId, out var facts) && snapshot.Map.TryGet(rowId, out var position))
            {
                points.Add(new SonicMapPoint(facts.TrackId, facts.Genre, position));
            }
        }

        return new SonicMapView(snapshot.Version, SonicMapLayout.Name, points);
    }
}
