using MusicDna.Core.Errors;
using MusicDna.Core.Text;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Harmony;

namespace MusicDna.Engine.Recommend;

/// <summary>Which catalogue tracks a feed may return. Unset members constrain nothing.</summary>
public sealed record TrackFilter
{
    public const int MaxGenres = 200;
    public const int MaxExcludedTrackIds = 10_000;

    public static TrackFilter None { get; } = new();

    public IReadOnlyList<string> IncludeGenres { get; init; } = [];

    public IReadOnlyList<string> ExcludeGenres { get; init; } = [];

    public bool ExcludeSeedArtists { get; init; }

    public bool ExcludeExplicit { get; init; }

    public int? MinPopularity { get; init; }

    public int? MaxPopularity { get; init; }

    public double? MinTempo { get; init; }

    public double? MaxTempo { get; init; }

    public IReadOnlyList<string> ExcludeTrackIds { get; init; } = [];

    /// <summary>Keys compatible with the seed's on the Camelot wheel only.</summary>
    public KeyMatchMode KeyMatch { get; init; }

    /// <summary>With <see cref="KeyMatch"/>: also two steps clockwise.</summary>
    public bool KeyEnergyBoost { get; init; }

    /// <summary>Only tempos within this many percent of the seed's; null = no window.</summary>
    public double? TempoWindowPercent { get; init; }

    /// <summary>With <see cref="TempoWindowPercent"/>: also the window around half and double the seed's tempo.</summary>
    public bool TempoHalfDouble { get; init; }

    /// <summary>Whether the filter refers to the seed (a key or tempo window).</summary>
    public bool IsRelativeToSeed => KeyMatch != KeyMatchMode.None || TempoWindowPercent is not null;

    internal void Validate()
    {
        ValidateList(IncludeGenres, "filter.include_genres", MaxGenres, TrackValidator.MaxGenreLength);
        ValidateList(ExcludeGenres, "filter.exclude_genres", MaxGenres, TrackValidator.MaxGenreLength);
        ValidateList(ExcludeTrackIds, "filter.exclude_track_ids", MaxExcludedTrackIds, TrackValidator.MaxTrackIdLength);
        var excluded = new HashSet<string>(ExcludeGenres, StringComparer.OrdinalIgnoreCase);
        if (IncludeGenres.FirstOrDefault(excluded.Contains) is { } both)
        {
            throw new InvalidInputException("filter.exclude_genres", $"'{both}' is also in include_genres");
        }

        ValidateRange(MinPopularity, MaxPopularity, 0, 100, "popularity");
        ValidateRange(MinTempo, MaxTempo, 0, 400, "tempo");
        if (KeyEnergyBoost && KeyMatch == KeyMatchMode.None)
        {
            throw new InvalidInputException("filter.key_energy_boost", "applies only with key_match");
        }

        if (TempoWindowPercent is { } window && (!double.IsFinite(window) || window <= 0 || window > 100))
        {
            throw new InvalidInputException("filter.tempo_window_percent", $"must be greater than 0 and at most 100, got {window}");
        }

        if (TempoHalfDouble && TempoWindowPercent is null)
        {
            throw new InvalidInputException("filter.tempo_half_double", "applies only with tempo_window_percent");
        }
    }

    private static void ValidateList(IReadOnlyList<string> values, string field, int max, int maxLength)
    {
        if (values.Count > max)
        {
            throw new InvalidInputException(field, $"at most {max} entries, got {values.Count}");
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (ClientText.KeyProblem(values[i], maxLength) is { } problem)
            {
                throw new InvalidInputException($"{field}[{i}]", problem);
            }
        }
    }

    private static void ValidateRange(double? min, double? max, double lowest, double highest, string name)
    {
        foreach (var (value, field) in new[] { (min, $"filter.min_{name}"), (max, $"filter.max_{name}") })
        {
            if (value is { } v && (!double.IsFinite(v) || v < lowest || v > highest))
            {
                throw new InvalidInputException(field, $"must be between {lowest} and {highest}, got {v}");
            }
        }

        if (min > max)
        {
            throw new InvalidInputException($"filter.max_{name}", $"must be at least min_{name} ({min}), got {max}");
        }
    }
}
