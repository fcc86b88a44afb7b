using MusicDna.Core.Features;

namespace MusicDna.Core.Tracks;

/// <summary>
/// One data row of a tracks CSV: either a valid <see cref="Track"/> or the <see cref="Error"/> that kept it out.
/// </summary>
/// <param name="RowNumber">1-based number of the data row; the header row is not counted.</param>
/// <param name="Track">The parsed, validated track; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">The first problem found in the row, named by its gRPC field; null when the row is good.</param>
public sealed record CsvTrackRow(long RowNumber, Track? Track, FeatureViolation? Error);
