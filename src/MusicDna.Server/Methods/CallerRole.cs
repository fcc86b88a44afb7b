namespace MusicDna.Server.Methods;

/// <summary>What an API key may do. Admin includes everything a reader may do.</summary>
public enum CallerRole
{
    /// <summary>Reads: Embed, Recommend and the other queries.</summary>
    Reader,

    /// <summary>Reads and writes: also Train and BulkIngest.</summary>
    Admin,
}
