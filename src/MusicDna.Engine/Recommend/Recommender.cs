using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using MusicDna.Catalogue;
using MusicDna.Core.Features;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// Seeds → one score per track → filtered search, deeper until the page is full → re-rank → ranked rows from the
/// snapshot's track table, in their final order, then a <see cref="FeedEnd"/>. Seed tracks and tracks earlier pages
/// served are never recommended. The call's token stops the search, the re-rank and the rows at once (checked before
/// every row); how rows travel (buffering, flushing) is the caller's business.
/// </summary>
public sealed class Recommender(
    ITrackCatalogue catalogue, ModelSnapshotHolder snapshots, PageTokenKey tokenKey, EngineCounters counters, ILogger<Recommender> logger)
{
    public async IAsyncEnumerable<FeedEvent> StreamAsync(
        RecommendQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        using var activity = EngineTracing.Source.StartActivity("musicdna.recommend");
        activity?.SetTag("musicdna.k", query.K);
        activity?.SetTag("musicdna.strategy", query.Strategy.ToString());
        using var lease = snapshots.Acquire();
        activity?.SetTag("musicdna.model_version", lease.Snapshot.Version);
        var snapshot = lease.Snapshot;
        var fingerprint = FeedToken.Fingerprint(query);
        var served = FeedToken.Decode(tokenKey, query.PageToken, snapshot.Version, fingerprint);
        var seeds = await ResolvedSeeds.ResolveAsync(query, snapshot, catalogue, cancellationToken).ConfigureAwait(false);
        var filter = new CandidateFilter(query.Filter, seeds, served);
        CandidateSource source = query.Strategy == SeedStrategy.AverageVector
            ? new IndexCandidateSource(snapshot, seeds.AverageVector(), filter, query.K)
            : new ScanCandidateSource(snapshot.Tracks, seeds.BestScore, filter);

        var (page, exhausted) = FeedRanker.Select(source, query, cancellationToken);
        var returned = 0;
        var completed = false;
        try
        {
            var scaled = new float[FeatureSchema.Count];
            foreach (var chosen in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var track = chosen.Candidate.Facts.Track;
                Explanation? explanation = null;
                if (query.Explain)
                {
                    snapshot.Pipeline.Transform(track.Features, scaled);
                    explanation = Explanation.Of(seeds.SeedPoint, scaled);
                }

                served.Add(chosen.Candidate.RowId);
                returned++;
                counters.RowStreamed();
                yield return new Recommendation(returned, track, chosen.Candidate.Score, chosen.RankingScore, explanation);
            }

            var token = exhausted ? "" : FeedToken.Encode(tokenKey, snapshot.Version, fingerprint, served);
            activity?.SetTag("musicdna.returned", returned);
            activity?.SetTag("musicdna.candidates_examined", source.Examined);
            activity?.SetTag("musicdna.exhausted", exhausted);
            EngineLog.FeedServed(logger, returned, snapshot.Version, source.Examined, exhausted);
            completed = true;
            yield return new FeedEnd(snapshot.Version, returned, exhausted, token, seeds.Skipped, source.Examined);
        }
        finally
        {
            if (completed)
            {
                counters.FeedCompleted();
            }
            else
            {
                // The consumer stopped early (cancellation, deadline, broken stream): nothing more is read or ranked.
                counters.FeedAbandoned(returned);
                activity?.SetTag("musicdna.returned", returned);
                activity?.SetStatus(ActivityStatusCode.Error, "abandoned by the caller");
                EngineLog.FeedAbandoned(logger, returned, page.Count);
            }
        }
    }
}
