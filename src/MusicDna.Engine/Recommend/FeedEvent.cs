namespace MusicDna.Engine.Recommend;

/// <summary>One item of a feed stream: a <see cref="Recommendation"/>, or the <see cref="FeedEnd"/> that closes it.</summary>
public abstract record FeedEvent;
