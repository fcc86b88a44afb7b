namespace MusicDna.Engine.Recommend;

/// <summary>
/// Why an examined track did not reach the feed, in the order the stages are checked: a track is counted under the
/// first stage that removes it. The names (<see cref="RemovalStages.Name"/>) are part of the contract.
/// </summary>
public enum RemovalStage
{
    /// <summary>Scored below <c>min_score</c>.</summary>
    MinScore,

    /// <summary>A seed track, or (songs collapsed) a version of a seed's song.</summary>
    Seed,

    /// <summary>In <c>history</c>, or a version of a song in it.</summary>
    History,

    /// <summary>Served by an earlier page of the feed, or (songs collapsed) a version of a song it served.</summary>
    Served,

    /// <summary>In <c>filter.exclude_track_ids</c>.</summary>
    ExcludedTrackId,

    /// <summary>Outside <c>filter.include_genres</c> or inside <c>filter.exclude_genres</c>.</summary>
    Genre,

    /// <summary><c>filter.exclude_explicit</c>.</summary>
    Explicit,

    /// <summary>Outside <c>filter.min_popularity</c> / <c>max_popularity</c>.</summary>
    Popularity,

    /// <summary>Outside <c>filter.min_tempo</c> / <c>max_tempo</c>, or outside the tempo window around the seed's.</summary>
    Tempo,

    /// <summary>Outside a <c>min_*</c> / <c>max_*</c> limit of <c>attributes</c>.</summary>
    Attributes,

    /// <summary>A key that <c>filter.key_match</c> refuses (or none).</summary>
    Key,

    /// <summary><c>filter.exclude_seed_artists</c>.</summary>
    SeedArtists,

    /// <summary>Another version of a song already in the page (songs collapsed).</summary>
    SongRepeat,

    /// <summary>Passed the filters but left out of the page by <c>max_tracks_per_artist</c>.</summary>
    ArtistCap,

    /// <summary>Passed the filters but left out by <c>artist_window</c>.</summary>
    ArtistWindow,

    /// <summary>Passed the filters but its shelf was full, or it would have opened a shelf past <c>k</c> (<c>group_by</c>).</summary>
    Groups,
}

/// <summary>The contract's name of each stage.</summary>
public static class RemovalStages
{
    private static readonly string[] Names =
    [
        "min_score", "seed", "history", "served", "exclude_track_ids", "genre", "explicit", "popularity", "tempo", "attributes",
        "key", "seed_artists", "song_repeat", "artist_cap", "artist_window", "groups",
    ];

    public static int Count => Names.Length;

    public static string Name(this RemovalStage stage) => Names[(int)stage];
}
