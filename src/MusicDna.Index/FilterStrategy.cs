namespace MusicDna.Index;

/// <summary>How a filtered search finds the best allowed vectors.</summary>
public enum FilterStrategy
{
    /// <summary>The index picks by the share of vectors the filter allows (<see cref="FilterPolicy"/>).</summary>
    Auto = 0,

    /// <summary>Search as usual and skip the vectors the filter does not allow; an inverted-file index goes on to
    /// further lists until k allowed vectors are found. Cheap when most vectors are allowed.</summary>
    SkipDisallowed = 1,

    /// <summary>Look up and score only the filter's ids: exact, and cheap when few are allowed.</summary>
    ScoreAllowedOnly = 2,
}
