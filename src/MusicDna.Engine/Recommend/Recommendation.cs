using MusicDna.Core.Tracks;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// A recommended track at its final position in the feed (<see cref="Rank"/>, 1-based): its similarity to the seeds
/// (<see cref="Score"/>), the score the page was ranked by (<see cref="RankingScore"/>: minus the long-tail penalty)
/// and, when asked for, why it was chosen.
/// </summary>
public sealed record Recommendation(int Rank, Track Track, float Score, float RankingScore, Explanation? Explanation = null) : FeedEvent;
