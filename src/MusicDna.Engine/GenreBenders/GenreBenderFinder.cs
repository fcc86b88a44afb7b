using System.Collections.Concurrent;
using MusicDna.Engine.Snapshots;
using MusicDna.Index;

namespace MusicDna.Engine.GenreBenders;

/// <summary>
/// Finds tracks whose latent neighbourhood spans several genres: each candidate's nearest neighbours (exact cosine,
/// whole catalogue) are counted by genre and the candidate is scored by the Shannon entropy of those counts, in
/// bits. Candidates are searched in batches (the index answers batches faster per query), with the call's token
/// checked between batches. Everything is read from the snapshot. The ranking of a genre (or of the whole catalogue)
/// is kept for the snapshot's current revision, so asking again, for any k, costs nothing until the catalogue or the
/// model changes.
/// </summary>
public sealed class GenreBenderFinder(ModelSnapshotHolder snapshots)
{
    private const int Batch = 256;
    private const int CachedRankings = 16;

    private readonly ConcurrentDictionary<RankingKey, Ranking> _rankings = new();

    public GenreBenderResult Find(GenreBenderQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        using var lease = snapshots.Acquire();
        var snapshot = lease.Snapshot;
        var key = new RankingKey(snapshot.Version, snapshot.Revision, query.Genre.ToUpperInvariant(), query.Neighbours);
        if (!_rankings.TryGetValue(key, out var ranking))
        {
            ranking = Rank(snapshot, query, cancellationToken);
            if (_rankings.Count >= CachedRankings)
            {
                _rankings.Clear();
            }

            _rankings[key] = ranking;
        }

        return new GenreBenderResult(snapshot.Version, [.. ranking.Benders.Take(query.K)], ranking.Candidates);
    }

    private static Ranking Rank(ModelSnapshot snapshot, GenreBenderQuery query, CancellationToken cancellationToken)
    {
        var dimension = snapshot.LatentSize;
        var candidates = snapshot.Tracks.Rows
            .Where(r => query.Genre.Length == 0 || string.Equals(r.Value.Genre, query.Genre, StringComparison.OrdinalIgnoreCase))
            .ToList();

        var scored = new List<(TrackFacts Facts, double Entropy, KeyValuePair<string, int>[] Genres)>(candidates.Count);
        var queries = new float[Batch * dimension];
        for (var start = 0; start < candidates.Count; start += Batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = candidates.GetRange(start, Math.Min(Batch, candidates.Count - start));
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Value.Vector.CopyTo(queries.AsSpan(i * dimension));
            }

            // One extra neighbour: a track is its own nearest.
            var results = snapshot.Index.SearchMany(queries.AsSpan(0, batch.Count * dimension), query.Neighbours + 1);
            for (var i = 0; i < batch.Count; i++)
            {
                var genres = CountGenres(snapshot.Tracks, batch[i].Key, results[i], query.Neighbours);
                scored.Add((batch[i].Value, Entropy(genres), genres));
            }
        }

        var benders = scored
            .OrderByDescending(s => s.Entropy)
            .ThenBy(s => s.Facts.TrackId, StringComparer.Ordinal)
            .Take(GenreBenderQuery.MaxK)
            .Select(s => new GenreBender(s.Facts.Track, s.Entropy, s.Genres))
            .ToList();
        return new Ranking(benders, candidates.Count);
    }

    private static KeyValuePair<string, int>[] CountGenres(TrackTable tracks, long self, IReadOnlyList<SearchHit> hits, int neighbours)
    {
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var hit in hits.Where(h => h.Id != self).Take(neighbours))
        {
            var genre = tracks.TryGet(hit.Id, out var facts) ? facts.Genre : "";
            counts[genre] = counts.GetValueOrDefault(genre) + 1;
        }

        return [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)];
    }

    private static double Entropy(KeyValuePair<string, int>[] counts)
    {
        var total = counts.Sum(c => c.Value);
        return total == 0 ? 0 : -counts.Sum(c => (double)c.Value / total * Math.Log2((double)c.Value / total));
    }

    private readonly record struct RankingKey(long Version, long Revision, string Genre, int Neighbours);

    /// <summary>The best <see cref="GenreBenderQuery.MaxK"/> candidates of one query shape, and how many were scored.</summary>
    private sealed record Ranking(IReadOnlyList<GenreBender> Benders, long Candidates);
}
