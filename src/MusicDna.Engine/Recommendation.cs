using MusicDna.Core.Tracks;

namespace MusicDna.Engine;

/// <summary>A recommended track and its cosine similarity to the seed.</summary>
public sealed record Recommendation(Track Track, float Score);
