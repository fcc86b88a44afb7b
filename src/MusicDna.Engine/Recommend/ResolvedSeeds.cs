using MusicDna.Catalogue;
using MusicDna.Core.Errors;
using MusicDna.Core.Features;
using MusicDna.Engine.Recommend.Tuning;
using MusicDna.Engine.Snapshots;
using MusicDna.Engine.Snapshots.Compact;
using MusicDna.Index;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// A query's seeds made usable: unit latent vectors with weights and polarity, the catalogue rows, songs and
/// artists of track seeds (never recommended, nor, when songs are collapsed, their other versions; artists for the
/// exclude-seed-artists filter), the seed point that explanations compare with (scaled and raw), and the unknown ids
/// that were skipped.
/// </summary>
internal sealed class ResolvedSeeds
{
    private static readonly bool[] Integral = [.. FeatureSchema.Features.Select(f => f.Integral)];

    private ResolvedSeeds(
        List<(float[] Vector, float Weight, bool Negative)> vectors,
        HashSet<long> rowIds,
        HashSet<UInt128> songIds,
        HashSet<string> artists,
        float[] seedPoint,
        double[] seedRaw,
        List<string> skipped)
    {
        Vectors = vectors;
        RowIds = rowIds;
        SongIds = songIds;
        Artists = artists;
        SeedPoint = seedPoint;
        SeedRaw = seedRaw;
        Skipped = skipped;
    }

    public IReadOnlyList<(float[] Vector, float Weight, bool Negative)> Vectors { get; }

    public IReadOnlySet<long> RowIds { get; }

    /// <summary>Songs of the track seeds, positive or negative, as <see cref="TrackFacts.Song"/> keys them.</summary>
    public IReadOnlySet<UInt128> SongIds { get; }

    public IReadOnlySet<string> Artists { get; }

    /// <summary>Weight-averaged scaled features of the positive seeds.</summary>
    public float[] SeedPoint { get; }

    /// <summary>The positive seeds in the features' own units: continuous features weight-averaged, key, mode and
    /// time signature those of the heaviest positive seed (the first of equals), as an average key means nothing.</summary>
    public double[] SeedRaw { get; }

    public IReadOnlyList<string> Skipped { get; }

    public static async Task<ResolvedSeeds> ResolveAsync(
        RecommendQuery query, ModelSnapshot snapshot, ITrackCatalogue catalogue, CancellationToken cancellationToken)
    {
        var vectors = new List<(float[], float, bool)>();
        var rowIds = new HashSet<long>();
        var songIds = new HashSet<UInt128>();
        var artists = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var unknown = new List<string>();
        var seedPoint = new float[FeatureSchema.Count];
        var seedRaw = new double[FeatureSchema.Count];
        var scaled = new float[FeatureSchema.Count];
        var positiveWeight = 0d;
        var heaviest = 0d;

        // An attribute search starts from a seed built from the targets; steering moves every positive seed.
        IReadOnlyList<RecommendSeed> seeds = query.IsAttributeSearch
            ? [.. query.Seeds, new RecommendSeed("attributes", null, AttributeSeed.Features(query.Attributes, query.Filter, snapshot.Tracks))]
            : query.Seeds;
        foreach (var seed in seeds)
        {
            double[] raw;
            float[] vector;
            if (seed.TrackId is { } knownId && snapshot.Tracks.TryFind(knownId, out var rowId, out var known))
            {
                // Indexed under this snapshot: everything is in memory (no catalogue query on the hot path).
                raw = known.Features.ToArray();
                rowIds.Add(rowId);
                songIds.Add(known.Song);
                artists.UnionWith(known.Artists.Where(a => a.Length > 0));
                vector = known.Vector.ToArray();
            }
            else if (seed.TrackId is { } trackId)
            {
                var entry = await catalogue.FindAsync(trackId, cancellationToken).ConfigureAwait(false);
                if (entry is null)
                {
                    unknown.Add(trackId);
                    continue;
                }

                // Ingested after this snapshot was leased, before it was indexed: embed it directly.
                raw = entry.Track.Features;
                rowIds.Add(entry.Id);
                songIds.Add(SongIdCodec.Key(entry.SongId));
                artists.UnionWith(entry.Track.Artists.Where(a => a.Length > 0));
                vector = snapshot.Tracks.TryGet(entry.Id, out var facts) ? facts.Vector.ToArray() : snapshot.EmbedUnit(raw);
            }
            else
            {
                raw = seed.Features!;
                vector = snapshot.EmbedUnit(raw);
            }

            if (!seed.Negative && !query.Steer.IsEmpty)
            {
                raw = query.Steer.Apply(raw);
                vector = snapshot.EmbedUnit(raw);
            }

            vectors.Add((vector, (float)seed.Weight, seed.Negative));
            if (!seed.Negative)
            {
                snapshot.Pipeline.Transform(raw, scaled);
                var heaviestYet = seed.Weight > heaviest;
                for (var i = 0; i < seedPoint.Length; i++)
                {
                    seedPoint[i] += (float)(seed.Weight * scaled[i]);
                    if (!Integral[i])
                    {
                        seedRaw[i] += seed.Weight * raw[i];
                    }
                    else if (heaviestYet)
                    {
                        seedRaw[i] = raw[i];
                    }
                }

                heaviest = Math.Max(heaviest, seed.Weight);
                positiveWeight += seed.Weight;
            }
        }

        if (unknown.Count > 0 && (!query.SkipUnknownSeeds || positiveWeight == 0))
        {
            throw new NotFoundException("track", string.Join(", ", unknown), "TRACK_NOT_FOUND");
        }

        for (var i = 0; i < seedPoint.Length; i++)
        {
            seedPoint[i] = (float)(seedPoint[i] / positiveWeight);
            if (!Integral[i])
            {
                seedRaw[i] /= positiveWeight;
            }
        }

        return new ResolvedSeeds(vectors, rowIds, songIds, artists, seedPoint, seedRaw, unknown);
    }

    /// <summary>The average-vector query, as a unit vector: weighted positives minus weighted negatives (unit seed vectors).</summary>
    public float[] AverageVector()
    {
        var query = new float[Vectors[0].Vector.Length];
        foreach (var (vector, weight, negative) in Vectors)
        {
            var sign = negative ? -weight : weight;
            for (var i = 0; i < query.Length; i++)
            {
                query[i] += sign * vector[i];
            }
        }

        // Equal positives and negatives leave no direction to search in.
        if (query.Sum(v => (double)v * v) < 1e-12)
        {
            throw new InvalidInputException("seeds", "the positive and negative seeds cancel out: there is no direction left to search");
        }

        VectorMath.Normalize(query);
        return query;
    }

    /// <summary>
    /// The best-score strategy: the best weighted positive similarity minus the best weighted negative one, in the
    /// scale's readable scores (what the feed ranks by) and in raw cosines.
    /// </summary>
    public (float Score, float Cosine) BestScore(ReadOnlySpan<float> unitVector, SimilarityScale scale)
    {
        var (bestPositive, bestPositiveCosine) = (float.NegativeInfinity, float.NegativeInfinity);
        var (bestNegative, bestNegativeCosine) = (float.NegativeInfinity, float.NegativeInfinity);
        foreach (var (vector, weight, negative) in Vectors)
        {
            var cosine = UnitVector.Dot(unitVector, vector);
            var score = weight * scale.Score(cosine);
            if (negative)
            {
                bestNegative = Math.Max(bestNegative, score);
                bestNegativeCosine = Math.Max(bestNegativeCosine, weight * cosine);
            }
            else
            {
                bestPositive = Math.Max(bestPositive, score);
                bestPositiveCosine = Math.Max(bestPositiveCosine, weight * cosine);
            }
        }

        return float.IsNegativeInfinity(bestNegative)
            ? (bestPositive, bestPositiveCosine)
            : (bestPositive - bestNegative, bestPositiveCosine - bestNegativeCosine);
    }
}
