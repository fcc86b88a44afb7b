namespace MusicDna.Index;

/// <summary>One neighbour: its id and its cosine similarity to the query (in [-1, 1], higher is closer).</summary>
public readonly record struct SearchHit(long Id, float Score);
