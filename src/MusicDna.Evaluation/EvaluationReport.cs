using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MusicDna.Evaluation;

/// <summary>The evaluation's findings: the setting it ran in and one <see cref="MethodScore"/> per space.</summary>
public sealed record EvaluationReport(
    int RowsRead,
    int RowsRejected,
    int Tracks,
    int Songs,
    int TracksSharingASong,
    int TrainTracks,
    int HeldOutTracks,
    int Genres,
    int Seed,
    int SilhouetteSample,
    int Queries,
    int Neighbours,
    double PipelineSeconds,
    string ServedMethod,
    string MapProjection,
    IReadOnlyList<string> MapGenres,
    IReadOnlyList<MethodScore> Methods)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The table and the setting it was measured in, as Markdown (also readable as plain text).</summary>
    public string ToMarkdown()
    {
        var ks = Methods.SelectMany(m => m.Silhouettes.Keys).Distinct().Order().ToList();
        var text = new StringBuilder();
        Line(text, $"Tracks: {Tracks:N0} unique by track_id ({RowsRead:N0} rows read, {RowsRejected:N0} rejected, last row of a repeated id wins), {Genres} genres.");
        Line(text, $"Split (seed {Seed}): {TrainTracks:N0} training tracks (pipeline and models fitted on these only), {HeldOutTracks:N0} held out. Pipeline fit: {PipelineSeconds:F2} s.");
        Line(text, $"Silhouette: k-means++ / Lloyd on every track's L2-normalised vector (the cosine space the index serves), exact silhouette on a seeded sample of {SilhouetteSample:N0} tracks.");
        Line(text, $"Genre agreement@{Neighbours}: share of the {Neighbours} cosine nearest neighbours (query excluded, whole catalogue searched) with the query's genre; {Queries:N0} seeded queries from all tracks, from held-out tracks (cold start: embedded after training) and from training tracks.");
        Line(text, $"Songs: {Songs:N0} (tracks with the same title, version suffixes aside, and the same artists are versions of one song); {TracksSharingASong:N0} tracks share their song with another track.");
        Line(text, $"Served by Train: {ServedMethod}.");
        text.AppendLine();
        text.Append("| method | dims | train s | epochs | held-out MSE | ");
        text.Append(string.Join(" | ", ks.Select(k => $"silhouette k={k}")));
        text.AppendLine(CultureInfo.InvariantCulture, $" | agreement@{Neighbours} | held-out | trained | cold-start gap (pts) |");
        text.Append("| --- | ---: | ---: | ---: | ---: | ");
        text.Append(string.Join(" | ", ks.Select(_ => "---:")));
        text.AppendLine(" | ---: | ---: | ---: | ---: |");
        foreach (var m in Methods)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {m.Method} | {m.Dimensions} | {Format(m.TrainingSeconds, "F1")} | {m.EpochsRun?.ToString(CultureInfo.InvariantCulture) ?? "–"} | {Format(m.HeldOutMse, "F5")} | ");
            text.Append(string.Join(" | ", ks.Select(k => Format(m.Silhouettes.TryGetValue(k, out var s) ? s : null, "F3"))));
            text.AppendLine(CultureInfo.InvariantCulture, $" | {m.GenreAgreement:P1} | {m.HeldOutAgreement:P1} | {m.TrainedAgreement:P1} | {m.ColdStartGapPoints:+0.0;-0.0;0.0} |");
        }

        text.AppendLine();
        Line(text, $"Feeds over songs (the {Queries:N0} queries from all tracks, top {Neighbours}): the share of feeds that repeat a song or hold a version of the query's song, with collapsing off (the {Neighbours} nearest tracks) and on (the {Neighbours} nearest songs, none the query's, each shown as its most popular version, as Recommend does by default), and genre agreement@{Neighbours} counted over those songs.");
        text.AppendLine(CultureInfo.InvariantCulture, $"| method | repeats a song, collapsing off | collapsing on | agreement@{Neighbours} over tracks | over songs |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var m in Methods)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {m.Method} | {m.Songs.RepeatedSongShareOff:P1} | {m.Songs.RepeatedSongShareOn:P1} | {m.GenreAgreement:P1} | {m.Songs.SongAgreement:P1} |");
        }

        text.AppendLine();
        Line(text, $"Map: {MapProjection}; genres shown: {string.Join(", ", MapGenres)}.");
        return text.ToString();
    }

    private static void Line(StringBuilder text, FormattableString line) =>
        text.AppendLine(line.ToString(CultureInfo.InvariantCulture)).AppendLine();

    private static string Format(double? value, string format) =>
        value?.ToString(format, CultureInfo.InvariantCulture) ?? "–";
}
