namespace MusicDna.Engine.Recommend;

/// <summary>How a feed is cut into shelves (documented on the contract's GroupBy).</summary>
public enum FeedGrouping
{
    /// <summary>One ranked list.</summary>
    None,

    /// <summary>A shelf per genre.</summary>
    Genre,

    /// <summary>A shelf per artist (a track's first credited artist).</summary>
    Artist,
}
