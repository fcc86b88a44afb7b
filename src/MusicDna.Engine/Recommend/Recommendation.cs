using MusicDna.Core.Tracks;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// A recommended track at its final position in the feed (<see cref="Rank"/>, 1-based): its similarity to the seeds
/// (<see cref="Score"/>, the readable score of <see cref="Snapshots.SimilarityScale"/>; with songs collapsed, that of
/// the song's best-matching version), the score the page was ranked by (<see cref="RankingScore"/>: minus the
/// long-tail penalty) and, when asked for, why it was chosen. The track is a view of its row in the snapshot's track
/// table (<see cref="Facts"/>), so a caller that writes the row elsewhere reads the columns it needs without a
/// <see cref="Core.Tracks.Track"/> being built.
/// </summary>
public sealed record Recommendation(int Rank, TrackFacts Facts, float Score, float RankingScore, Explanation? Explanation = null) : FeedEvent
{
    /// <summary>The whole track, built from <see cref="Facts"/> on each read.</summary>
    public Track Track => Facts.Track;

    /// <summary>The raw cosine (or best-score combination of cosines) <see cref="Score"/> was read from.</summary>
    public float Cosine { get; init; }

    /// <summary>The track's song (<see cref="SongKey"/>).</summary>
    public string SongId { get; init; } = "";

    /// <summary>Versions of that song in the catalogue under this model, this one included.</summary>
    public int SongVersions { get; init; } = 1;

    /// <summary>The shelf (genre or artist) with <c>group_by</c>; empty otherwise.</summary>
    public string Group { get; init; } = "";
}
