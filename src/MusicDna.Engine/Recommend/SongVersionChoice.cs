namespace MusicDna.Engine.Recommend;

/// <summary>Which version of a song a collapsed feed shows (documented on the contract's SongVersion).</summary>
public enum SongVersionChoice
{
    /// <summary>The most popular version that passes the filter (the best-matching one on ties).</summary>
    MostPopular,

    /// <summary>The version most similar to the seeds.</summary>
    BestMatch,
}
