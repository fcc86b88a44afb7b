using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using MusicDna.Catalogue;
using MusicDna.Core.Features;
using MusicDna.Engine.Recommend.Tuning;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// Seeds → one score per track → filtered search, deeper until the page is full → one version per song (unless the
/// query includes every version) → re-rank or shelves → ranked rows from the snapshot's track table, in their final
/// order, then a <see cref="FeedEnd"/> with what the search examined and removed. Seed tracks, history and tracks
/// earlier pages served are never recommended (nor, with songs collapsed, other versions of their songs). The call's token stops the search, the re-rank and the rows at once (checked before
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
        var (served, recent) = FeedToken.DecodeWithRecent(tokenKey, query.PageToken, snapshot.Version, fingerprint);
        var seeds = await ResolvedSeeds.ResolveAsync(query, snapshot, catalogue, cancellationToken).ConfigureAwait(false);
        var diagnostics = new FeedDiagnostics();
        var history = RecentRows.OfTrackIds(query.History, snapshot.Tracks);
        var earlierRows = RecentRows.OfRows(recent, snapshot.Tracks);
        var filter = new CandidateFilter(
            query.Filter, seeds, served, history, query.CollapseSongs, snapshot.Tracks, diagnostics, query.Attributes);
        var pull = new AttributePull(query.Attributes, snapshot.Pipeline, query.EffectiveTargetWeight);
        var scale = snapshot.Scale;
        CandidateSource source = query.Strategy == SeedStrategy.AverageVector
            ? new IndexCandidateSource(snapshot, seeds.AverageVector(), filter, query.PageCapacity, query.MinScore, diagnostics)
            : new ScanCandidateSource(snapshot.Tracks, v => seeds.BestScore(v, scale), filter, query.MinScore, diagnostics);
        if (query.CollapseSongs)
        {
            source = new SongCollapsingSource(source, snapshot.Tracks, filter, query.SongVersion ?? SongVersionChoice.MostPopular, diagnostics);
        }

        var window = new ArtistWindow(query.ArtistWindow, history.Rows.Concat(earlierRows.Rows).Select(r => r.Facts));
        var (page, exhausted) = FeedRanker.Select(source, query, window, diagnostics, scale, cancellationToken, pull);
        var returned = 0;
        var completed = false;
        try
        {
            var scaled = new float[FeatureSchema.Count];
            var lastRows = recent.ToList();
            foreach (var chosen in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var facts = chosen.Candidate.Facts;
                Explanation? explanation = null;
                if (query.Explain)
                {
                    var features = facts.Features.ToArray();
                    snapshot.Pipeline.Transform(features, scaled);
                    explanation = Explanation.Of(seeds.SeedRaw, seeds.SeedPoint, features, scaled);
                }

                served.Add(chosen.Candidate.RowId);
                lastRows.Add(chosen.Candidate.RowId);
                returned++;
                counters.RowStreamed();
                yield return new Recommendation(returned, facts, chosen.Candidate.Score, chosen.RankingScore, explanation)
                {
                    Cosine = chosen.Candidate.Cosine,
                    SongId = facts.SongId,
                    SongVersions = Math.Max(1, chosen.Candidate.Versions ?? snapshot.Tracks.VersionsOf(facts.Song).Count),
                    Group = chosen.Group,
                };
            }

            var token = exhausted
                ? ""
                : FeedToken.Encode(tokenKey, snapshot.Version, fingerprint, served, lastRows.TakeLast(query.ArtistWindow).ToList());
            activity?.SetTag("musicdna.returned", returned);
            activity?.SetTag("musicdna.candidates_examined", source.Examined);
            activity?.SetTag("musicdna.exhausted", exhausted);
            EngineLog.FeedServed(logger, returned, snapshot.Version, source.Examined, exhausted);
            completed = true;
            yield return new FeedEnd(snapshot.Version, returned, exhausted, token, seeds.Skipped, source.Examined)
            {
                CandidatesPassed = diagnostics.Passed,
                Removals = diagnostics.Removals(),
                LimitedBy = diagnostics.LimitedBy(query.GroupBy == FeedGrouping.None
                    ? returned < query.K
                    : page.Select(r => r.Group).Distinct(StringComparer.OrdinalIgnoreCase).Count() < query.K),
            };
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
