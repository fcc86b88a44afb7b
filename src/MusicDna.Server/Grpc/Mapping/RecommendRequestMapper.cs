using MusicDna.Contracts.V1;
using MusicDna.Core.Errors;
using MusicDna.Engine.Harmony;
using MusicDna.Engine.Recommend;
using Domain = MusicDna.Engine.Recommend;

namespace MusicDna.Server.Grpc.Mapping;

/// <summary>RecommendRequest → the domain query (unset = default; values are checked by the domain); feed events → contract.</summary>
internal static class RecommendRequestMapper
{
    public static RecommendQuery ToDomain(RecommendRequest request)
    {
        var seeds = new List<RecommendSeed>();
        switch (request.SeedCase)
        {
            case RecommendRequest.SeedOneofCase.TrackId:
                seeds.Add(new RecommendSeed("", request.TrackId, null));
                break;
            case RecommendRequest.SeedOneofCase.Features:
                seeds.Add(new RecommendSeed("", null, FeatureMapper.ToVector(request.Features, "features")));
                break;
        }

        for (var i = 0; i < request.Seeds.Count; i++)
        {
            var seed = request.Seeds[i];
            var path = $"seeds[{i}]";
            var weight = seed.Weight == 0 ? 1 : seed.Weight;
            seeds.Add(seed.SourceCase switch
            {
                Seed.SourceOneofCase.TrackId => new RecommendSeed(path, seed.TrackId, null, weight, seed.Negative),
                Seed.SourceOneofCase.Features => new RecommendSeed(path, null, FeatureMapper.ToVector(seed.Features, path + ".features"), weight, seed.Negative),
                _ => throw new InvalidInputException(path, "set track_id or features"),
            });
        }

        var filter = request.Filter ?? new RecommendFilter();
        return new RecommendQuery
        {
            Seeds = seeds,
            K = request.K == 0 ? RecommendQuery.DefaultK : request.K,
            Strategy = request.Strategy switch
            {
                Contracts.V1.SeedStrategy.Unspecified or Contracts.V1.SeedStrategy.AverageVector => Domain.SeedStrategy.AverageVector,
                Contracts.V1.SeedStrategy.BestScore => Domain.SeedStrategy.BestScore,
                _ => throw new InvalidInputException("strategy", $"unknown value {(int)request.Strategy}"),
            },
            Filter = new TrackFilter
            {
                IncludeGenres = [.. filter.IncludeGenres],
                ExcludeGenres = [.. filter.ExcludeGenres],
                ExcludeSeedArtists = filter.ExcludeSeedArtists,
                ExcludeExplicit = filter.ExcludeExplicit,
                MinPopularity = filter.HasMinPopularity ? filter.MinPopularity : null,
                MaxPopularity = filter.HasMaxPopularity ? filter.MaxPopularity : null,
                MinTempo = filter.HasMinTempo ? filter.MinTempo : null,
                MaxTempo = filter.HasMaxTempo ? filter.MaxTempo : null,
                ExcludeTrackIds = [.. filter.ExcludeTrackIds],
                KeyMatch = filter.KeyMatch switch
                {
                    KeyMatch.Unspecified => KeyMatchMode.None,
                    KeyMatch.Same => KeyMatchMode.Same,
                    KeyMatch.Compatible => KeyMatchMode.Compatible,
                    _ => throw new InvalidInputException("filter.key_match", $"unknown value {(int)filter.KeyMatch}"),
                },
                KeyEnergyBoost = filter.KeyEnergyBoost,
                TempoWindowPercent = filter.HasTempoWindowPercent ? filter.TempoWindowPercent : null,
                TempoHalfDouble = filter.TempoHalfDouble,
            },
            Attributes = TuningMapper.ToDomain(request.Attributes),
            TargetWeight = request.HasTargetWeight ? request.TargetWeight : null,
            Steer = TuningMapper.ToDomain(request.Steer),
            LongTail = request.LongTail,
            PopularityPenalty = request.HasPopularityPenalty ? request.PopularityPenalty : null,
            Diversity = request.Diversity,
            MaxTracksPerArtist = request.MaxTracksPerArtist,
            Explain = request.Explain,
            PageToken = request.PageToken,
            SkipUnknownSeeds = request.SkipUnknownSeeds,
            IncludeSongVersions = request.IncludeSongVersions,
            SongVersion = request.SongVersion switch
            {
                SongVersion.Unspecified => null,
                SongVersion.MostPopular => SongVersionChoice.MostPopular,
                SongVersion.BestMatch => SongVersionChoice.BestMatch,
                _ => throw new InvalidInputException("song_version", $"unknown value {(int)request.SongVersion}"),
            },
            MinScore = request.HasMinScore ? request.MinScore : null,
            History = [.. request.History],
            ArtistWindow = request.ArtistWindow,
            GroupBy = request.GroupBy switch
            {
                GroupBy.Unspecified => FeedGrouping.None,
                GroupBy.Genre => FeedGrouping.Genre,
                GroupBy.Artist => FeedGrouping.Artist,
                _ => throw new InvalidInputException("group_by", $"unknown value {(int)request.GroupBy}"),
            },
            GroupSize = request.GroupSize,
        };
    }

    /// <summary>The message of a feed event; a row's track travels as <see cref="TrackWire"/> writes it, so its
    /// <c>Track</c> property is unset on the server.</summary>
    public static RecommendResponse ToContract(FeedEvent item) => item switch
    {
        Domain.Recommendation r => new RecommendResponse { Recommendation = ToContract(r) },
        FeedEnd end => new RecommendResponse
        {
            End = new RecommendEnd
            {
                ModelVersion = end.ModelVersion,
                Returned = end.Returned,
                Exhausted = end.Exhausted,
                NextPageToken = end.NextPageToken,
                SkippedSeedIds = { end.SkippedSeedIds },
                CandidatesExamined = end.CandidatesExamined,
                CandidatesPassed = end.CandidatesPassed,
                Removals = { end.Removals.Select(r => new Contracts.V1.FilterRemoval { Stage = r.Stage, Removed = r.Removed }) },
                LimitedBy = end.LimitedBy,
            },
        },
        _ => throw new ArgumentOutOfRangeException(nameof(item), item.GetType().Name, "unknown feed event"),
    };

    private static Contracts.V1.Recommendation ToContract(Domain.Recommendation r)
    {
        var recommendation = new Contracts.V1.Recommendation
        {
            Rank = r.Rank,
            Score = r.Score,
            RankingScore = r.RankingScore,
            Explanation = r.Explanation is { } e ? ToContract(e) : null,
            Cosine = r.Cosine,
            SongId = r.SongId,
            SongVersions = r.SongVersions,
            Group = r.Group,
        };
        TrackWire.Attach(recommendation, r.Facts);
        return recommendation;
    }

    private static Contracts.V1.Explanation ToContract(Domain.Explanation explanation) => new()
    {
        Closest = { explanation.Closest.Select(ToContract) },
        Furthest = { explanation.Furthest.Select(ToContract) },
    };

    private static Contracts.V1.FeatureComparison ToContract(Domain.FeatureComparison c) => new()
    {
        Feature = c.Feature,
        SeedValue = c.SeedValue,
        TrackValue = c.TrackValue,
        Difference = c.Difference,
        Unit = c.Unit,
        ScaledDifference = c.ScaledDifference,
        Text = c.Text,
    };
}
