using MusicDna.Catalogue;
using MusicDna.Core.Errors;
using MusicDna.Index;

namespace MusicDna.Engine;

/// <summary>Seed → latent vector → exact cosine search → catalogue rows. The seed track is never recommended.</summary>
public sealed class Recommender(TrackCatalogue catalogue, ModelSnapshotHolder snapshots)
{
    public async Task<RecommendationFeed> RecommendAsync(RecommendQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var lease = snapshots.Acquire();
        var snapshot = lease.Snapshot;

        long? seedRowId = null;
        var seed = new float[snapshot.LatentSize];
        if (query.SeedTrackId is { } trackId)
        {
            var entry = await catalogue.FindAsync(trackId, cancellationToken).ConfigureAwait(false)
                ?? throw new NotFoundException("track", trackId, "TRACK_NOT_FOUND");
            seedRowId = entry.Id;
            if (!snapshot.Index.TryGetVector(entry.Id, seed))
            {
                // Ingested after this snapshot was leased, before it was indexed: embed it directly.
                snapshot.Embed([entry.Track.Features]).CopyTo(seed, 0);
            }
        }
        else
        {
            snapshot.Embed([query.SeedFeatures!]).CopyTo(seed, 0);
        }

        // One extra hit covers the seed itself, which is its own nearest neighbour.
        var hits = snapshot.Index.Search(seed, query.K + (seedRowId is null ? 0 : 1));
        var kept = hits.Where(h => h.Id != seedRowId).Take(query.K).ToList();
        var tracks = await catalogue.GetManyAsync([.. kept.Select(h => h.Id)], cancellationToken).ConfigureAwait(false);

        var items = new List<Recommendation>(kept.Count);
        foreach (var hit in kept)
        {
            // A row missing here was never deleted (the catalogue has no delete); guard anyway rather than throw.
            if (tracks.TryGetValue(hit.Id, out var track))
            {
                items.Add(new Recommendation(track, hit.Score));
            }
        }

        return new RecommendationFeed(snapshot.Version, items);
    }
}
