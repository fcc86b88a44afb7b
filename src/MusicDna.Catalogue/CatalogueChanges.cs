namespace MusicDna.Catalogue;

/// <summary>
/// One read of the change feed: everything committed after the position asked for, up to <see cref="Position"/>.
/// A track changed several times appears once, as it is now; a track deleted since appears only in
/// <see cref="DeletedRowIds"/>.
/// </summary>
/// <param name="Position">The position these changes bring a reader to.</param>
/// <param name="ModelVersion">The model whose stored vectors <see cref="Upserted"/> carries.</param>
/// <param name="Upserted">Tracks inserted or replaced, with their vector under <paramref name="ModelVersion"/> where stored.</param>
/// <param name="DeletedRowIds">Row ids of deleted tracks.</param>
/// <param name="NewestModelVersion">The newest model published (0 = none).</param>
/// <param name="More">Whether changes after <paramref name="Position"/> remain to be read.</param>
public sealed record CatalogueChanges(
    long Position,
    long ModelVersion,
    IReadOnlyList<ChangedTrack> Upserted,
    IReadOnlyList<long> DeletedRowIds,
    long NewestModelVersion,
    bool More);

/// <summary>A changed track as stored now, with its vector under the model asked for (null when none is stored).</summary>
public sealed record ChangedTrack(CatalogueEntry Entry, float[]? Vector);
