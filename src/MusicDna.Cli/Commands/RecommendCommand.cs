using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Cli.Commands;

/// <summary>`musicdna recommend`: similar tracks to a catalogue track or to raw features, as a table or JSON lines.</summary>
internal static class RecommendCommand
{
    public static Command Create()
    {
        var trackId = new Option<string?>("--track-id") { Description = "Seed: a catalogue track id" };
        var features = new Option<string?>("--features") { Description = "Seed: " + FeatureArgument.Help };
        var k = new Option<int>("--k", "-k") { Description = "How many tracks (1-1000)", DefaultValueFactory = _ => 10 };
        var like = new Option<string[]>("--like") { Description = "More positive seed track ids (repeatable; id or id*weight)", AllowMultipleArgumentsPerToken = true };
        var unlike = new Option<string[]>("--unlike") { Description = "Negative seed track ids (repeatable; id or id*weight)", AllowMultipleArgumentsPerToken = true };
        var bestScore = new Option<bool>("--best-score") { Description = "Combine seeds by best score instead of the average vector" };
        var genre = new Option<string[]>("--genre") { Description = "Only these genres (repeatable)" };
        var excludeGenre = new Option<string[]>("--exclude-genre") { Description = "Not these genres (repeatable)" };
        var excludeSeedArtists = new Option<bool>("--exclude-seed-artists") { Description = "No tracks by the seeds' artists" };
        var excludeExplicit = new Option<bool>("--exclude-explicit") { Description = "No explicit tracks" };
        var minPopularity = new Option<int?>("--min-popularity") { Description = "Lowest popularity (0-100)" };
        var maxPopularity = new Option<int?>("--max-popularity") { Description = "Highest popularity (0-100)" };
        var minTempo = new Option<double?>("--min-tempo") { Description = "Lowest tempo (BPM)" };
        var maxTempo = new Option<double?>("--max-tempo") { Description = "Highest tempo (BPM)" };
        var excludeId = new Option<string[]>("--exclude-id") { Description = "Track ids never to return (repeatable)" };
        var longTail = new Option<bool>("--long-tail") { Description = "Re-rank with a popularity penalty (less-known first)" };
        var penalty = new Option<double?>("--popularity-penalty") { Description = "Long-tail penalty, (0, 1] (default 0.1)" };
        var diversity = new Option<double>("--diversity") { Description = "MMR diversity, 0 (pure similarity) to 1" };
        var perArtist = new Option<int>("--max-per-artist") { Description = "At most this many tracks per artist (0 = no cap)" };
        var explain = new Option<bool>("--explain") { Description = "Show the closest and furthest features per track" };
        var pageToken = new Option<string?>("--page-token") { Description = "Continue a feed from its next_page_token" };
        var skipUnknown = new Option<bool>("--skip-unknown-seeds") { Description = "Skip seed ids not in the catalogue instead of failing" };
        var allVersions = new Option<bool>("--all-versions") { Description = "Every version of a song may appear (songs are collapsed by default)" };
        var bestMatch = new Option<bool>("--best-match-version") { Description = "Show each song's version nearest the seeds instead of its most popular one" };
        var minScore = new Option<double?>("--min-score") { Description = "Only tracks scoring at least this (1 = same as the seeds, 0 = a typical random pair)" };
        var history = new Option<string[]>("--history") { Description = "Track ids played recently, oldest first: excluded with their songs (repeatable)", AllowMultipleArgumentsPerToken = true };
        var artistWindow = new Option<int>("--artist-window") { Description = "No artist twice within this many consecutive rows, across pages (0-100)" };
        var groupBy = new Option<string?>("--group-by") { Description = "Shelves: genre or artist (k shelves of --group-size)" };
        groupBy.AcceptOnlyFromAmong("genre", "artist");
        var groupSize = new Option<int>("--group-size") { Description = "Rows per shelf with --group-by (default 3)" };
        var target = new Option<string[]>("--target") { Description = "Soft target, name=value (repeatable): " + AttributeArgument.AttributeHelp, AllowMultipleArgumentsPerToken = true };
        var min = new Option<string[]>("--min") { Description = "Hard lower limit, name=value (repeatable), e.g. --min energy=0.6", AllowMultipleArgumentsPerToken = true };
        var max = new Option<string[]>("--max") { Description = "Hard upper limit, name=value (repeatable), e.g. --max tempo=130", AllowMultipleArgumentsPerToken = true };
        var targetWeight = new Option<double?>("--target-weight") { Description = "How strongly targets pull, 0-10 (default 4)" };
        var steer = new Option<string[]>("--steer") { Description = "Offset added to the seeds' features, name=value (repeatable): " + AttributeArgument.OffsetHelp, AllowMultipleArgumentsPerToken = true };
        var keyMatch = new Option<string?>("--key-match") { Description = "Camelot key filter relative to the seed: same or compatible (same, ±1, relative major/minor)" };
        keyMatch.AcceptOnlyFromAmong("same", "compatible");
        var keyBoost = new Option<bool>("--key-boost") { Description = "With --key-match: also +2 on the wheel (energy boost)" };
        var tempoWindow = new Option<double?>("--tempo-window") { Description = "Only tempos within this many percent of the seed's" };
        var halfDouble = new Option<bool>("--half-double") { Description = "With --tempo-window: also half and double the seed's tempo" };
        var command = new Command("recommend", "Stream the tracks most similar to one or more seeds")
        {
            trackId, features, k, like, unlike, bestScore, genre, excludeGenre, excludeSeedArtists, excludeExplicit,
            minPopularity, maxPopularity, minTempo, maxTempo, excludeId, longTail, penalty, diversity, perArtist, explain,
            pageToken, skipUnknown, allVersions, bestMatch, minScore, history, artistWindow, groupBy, groupSize,
            target, min, max, targetWeight, steer, keyMatch, keyBoost, tempoWindow, halfDouble,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(trackId) is not null && result.GetValue(features) is not null)
            {
                result.AddError("give at most one of --track-id and --features");
            }

            if (result.GetValue(trackId) is null && result.GetValue(features) is null && (result.GetValue(like) ?? []).Length == 0
                && (result.GetValue(target) ?? []).Length == 0)
            {
                result.AddError("give a seed: --track-id, --features, --like, or a --target for an attribute search");
            }
        });

        command.SetAction((parse, ct) => Run.GuardedAsync(async () =>
        {
            var request = new RecommendRequest
            {
                K = parse.GetValue(k),
                Strategy = parse.GetValue(bestScore) ? SeedStrategy.BestScore : SeedStrategy.Unspecified,
                LongTail = parse.GetValue(longTail),
                Diversity = parse.GetValue(diversity),
                MaxTracksPerArtist = parse.GetValue(perArtist),
                Explain = parse.GetValue(explain),
                PageToken = parse.GetValue(pageToken) ?? "",
                SkipUnknownSeeds = parse.GetValue(skipUnknown),
                IncludeSongVersions = parse.GetValue(allVersions),
                SongVersion = parse.GetValue(bestMatch) ? SongVersion.BestMatch : SongVersion.Unspecified,
                History = { parse.GetValue(history) ?? [] },
                ArtistWindow = parse.GetValue(artistWindow),
                GroupBy = parse.GetValue(groupBy) switch
                {
                    "genre" => GroupBy.Genre,
                    "artist" => GroupBy.Artist,
                    _ => GroupBy.Unspecified,
                },
                GroupSize = parse.GetValue(groupSize),
                Filter = new RecommendFilter
                {
                    IncludeGenres = { parse.GetValue(genre) ?? [] },
                    ExcludeGenres = { parse.GetValue(excludeGenre) ?? [] },
                    ExcludeSeedArtists = parse.GetValue(excludeSeedArtists),
                    ExcludeExplicit = parse.GetValue(excludeExplicit),
                    ExcludeTrackIds = { parse.GetValue(excludeId) ?? [] },
                    KeyMatch = parse.GetValue(keyMatch) switch
                    {
                        "same" => KeyMatch.Same,
                        "compatible" => KeyMatch.Compatible,
                        _ => KeyMatch.Unspecified,
                    },
                    KeyEnergyBoost = parse.GetValue(keyBoost),
                    TempoHalfDouble = parse.GetValue(halfDouble),
                },
            };
            if (parse.GetValue(tempoWindow) is { } window)
            {
                request.Filter.TempoWindowPercent = window;
            }

            var attributes = new TunableAttributes();
            AttributeArgument.Apply(attributes, "min", parse.GetValue(min) ?? []);
            AttributeArgument.Apply(attributes, "max", parse.GetValue(max) ?? []);
            AttributeArgument.Apply(attributes, "target", parse.GetValue(target) ?? []);
            if (!attributes.Equals(new TunableAttributes()))
            {
                request.Attributes = attributes;
            }

            if (parse.GetValue(targetWeight) is { } weight)
            {
                request.TargetWeight = weight;
            }

            if ((parse.GetValue(steer) ?? []) is { Length: > 0 } offsets)
            {
                request.Steer = AttributeArgument.Offsets(offsets);
            }

            if (parse.GetValue(penalty) is { } p)
            {
                request.PopularityPenalty = p;
            }

            if (parse.GetValue(minScore) is { } floor)
            {
                request.MinScore = floor;
            }

            SetRange(request.Filter, parse.GetValue(minPopularity), parse.GetValue(maxPopularity), parse.GetValue(minTempo), parse.GetValue(maxTempo));
            if (parse.GetValue(trackId) is { } id)
            {
                request.TrackId = id;
            }
            else if (parse.GetValue(features) is { } text)
            {
                request.Features = FeatureArgument.Parse(text);
            }

            request.Seeds.AddRange((parse.GetValue(like) ?? []).Select(s => ParseSeed(s, negative: false)));
            request.Seeds.AddRange((parse.GetValue(unlike) ?? []).Select(s => ParseSeed(s, negative: true)));

            using var connection = Connection.Open(parse);
            var asJson = parse.GetValue(CliOptions.Json);
            var headerShown = asJson; // the header waits for the first row, so an error prints alone
            string? shelf = null;
            var showFeatures = request.Attributes is not null || request.Steer is not null
                || request.Filter.KeyMatch != KeyMatch.Unspecified || request.Filter.HasTempoWindowPercent;
            await foreach (var message in connection.Client.RecommendAsync(request, ct))
            {
                if (asJson)
                {
                    Console.WriteLine(JsonFormatter.Default.Format(message));
                }
                else if (message.Recommendation is { } r)
                {
                    if (!headerShown)
                    {
                        Console.WriteLine($"{"#",3}  {"score",5}  {"track_id",-22}  {"genre",-14}  {"pop",3}  title — artists");
                        headerShown = true;
                    }

                    if (r.Group.Length > 0 && r.Group != shelf)
                    {
                        Console.WriteLine($"  [{request.GroupBy switch { GroupBy.Artist => "artist", _ => "genre" }}: {r.Group}]");
                        shelf = r.Group;
                    }

                    var versions = r.SongVersions > 1 ? $"  ({r.SongVersions} versions)" : "";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{r.Rank,3}  {r.Score,5:F3}  {r.Track.TrackId,-22}  {Truncate(r.Track.Genre, 14),-14}  {r.Track.Popularity,3}  {r.Track.Name} — {string.Join(", ", r.Track.Artists)}{versions}"));
                    if (showFeatures)
                    {
                        Console.WriteLine("       " + TrackLine.Features(r.Track));
                    }

                    if (r.Explanation is { } why)
                    {
                        Console.WriteLine($"       close: {Describe(why.Closest)}");
                        Console.WriteLine($"     differs: {(why.Furthest.Count == 0 ? "nothing" : Describe(why.Furthest))}");
                    }
                }
                else if (message.End is { } end)
                {
                    Console.WriteLine(Summary(end));
                    if (end.NextPageToken.Length > 0)
                    {
                        Console.WriteLine($"next page: --page-token {end.NextPageToken}");
                    }
                }
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Seed ParseSeed(string text, bool negative)
    {
        var star = text.LastIndexOf('*');
        var seed = new Seed { TrackId = star < 0 ? text : text[..star], Negative = negative };
        if (star >= 0)
        {
            seed.Weight = double.TryParse(text[(star + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var w)
                ? w
                : throw new FormatException($"seed '{text}': the weight after '*' is not a number");
        }

        return seed;
    }

    private static void SetRange(RecommendFilter filter, int? minPopularity, int? maxPopularity, double? minTempo, double? maxTempo)
    {
        if (minPopularity is { } a)
        {
            filter.MinPopularity = a;
        }

        if (maxPopularity is { } b)
        {
            filter.MaxPopularity = b;
        }

        if (minTempo is { } c)
        {
            filter.MinTempo = c;
        }

        if (maxTempo is { } d)
        {
            filter.MaxTempo = d;
        }
    }

    private static string Describe(IEnumerable<FeatureComparison> comparisons) => string.Join(" · ", comparisons.Select(c => c.Text));

    private static string Summary(RecommendEnd end)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"({end.Returned} tracks, model {end.ModelVersion}, {end.CandidatesExamined} examined, {end.CandidatesPassed} passed");
        if (end.Removals.Count > 0)
        {
            text += "; removed: " + string.Join(", ", end.Removals.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Stage} {r.Removed}")));
        }

        if (end.LimitedBy.Length > 0)
        {
            text += "; limited by " + end.LimitedBy;
        }

        if (end.Exhausted)
        {
            text += "; catalogue exhausted";
        }

        if (end.SkippedSeedIds.Count > 0)
        {
            text += "; skipped " + string.Join(",", end.SkippedSeedIds);
        }

        return text + ")";
    }

    private static string Truncate(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
