using MusicDna.Catalogue;

namespace MusicDna.Engine.Search;

/// <summary>Finds catalogue tracks by the words of their titles and artists (the catalogue's own word index).</summary>
public sealed class TrackSearcher(ITrackCatalogue catalogue)
{
    /// <exception cref="Core.Errors.InvalidInputException">The query is out of bounds (the field is named).</exception>
    public Task<TrackSearchResult> SearchAsync(TrackSearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var words = query.Words();
        return catalogue.SearchAsync(words, query.Limit, cancellationToken);
    }
}
