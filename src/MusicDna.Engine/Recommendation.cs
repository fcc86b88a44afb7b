using MusicDna.Core.Tracks;

namespace MusicDna.Engine;

/// <summary>
/// A recommended track: its similarity to the seeds (<see cref="Score"/>), the score the page was ranked by
/// (<see cref="RankingScore"/>: minus the long-tail penalty) and, when asked for, why it was chosen.
/// </summary>
public sealed record Recommendation(Track Track, float Score, float RankingScore, Explanation? Explanation = null) : FeedEvent;
