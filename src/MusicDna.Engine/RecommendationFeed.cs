namespace MusicDna.Engine;

/// <summary>The answer to a <see cref="RecommendQuery"/>: tracks best first, and the model that ranked them.</summary>
public sealed record RecommendationFeed(long ModelVersion, IReadOnlyList<Recommendation> Items);
