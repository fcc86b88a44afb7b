namespace MusicDna.Engine.Recommend;

/// <summary>
/// Qualifying tracks best first, found lazily: each <see cref="TryNext"/> searches only as deep as it must.
/// <see cref="Examined"/> counts the catalogue tracks scored and filtered so far.
/// </summary>
internal abstract class CandidateSource
{
    public long Examined { get; protected set; }

    /// <summary>The next qualifying track, or false when the catalogue holds no more.</summary>
    public abstract bool TryNext(CancellationToken cancellationToken, out Candidate candidate);
}
