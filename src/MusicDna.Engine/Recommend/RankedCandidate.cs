namespace MusicDna.Engine.Recommend;

/// <summary>
/// A candidate chosen for a page, with the score the page was ranked by (score minus the long-tail penalty) and its
/// shelf (empty without <c>group_by</c>).
/// </summary>
internal readonly record struct RankedCandidate(Candidate Candidate, float RankingScore, string Group = "");
