using MusicDna.Core.Errors;
using MusicDna.Core.Text;
using MusicDna.Core.Tracks;

namespace MusicDna.Engine.GenreBenders;

/// <summary>Which tracks to score as genre benders (one genre, or "" for all), how many to return, how many neighbours count.</summary>
public sealed record GenreBenderQuery(string Genre, int K = GenreBenderQuery.DefaultK, int Neighbours = GenreBenderQuery.DefaultNeighbours)
{
    public const int DefaultK = 10;
    public const int MaxK = 1000;
    public const int DefaultNeighbours = 20;
    public const int MinNeighbours = 2;
    public const int MaxNeighbours = 200;

    /// <summary>Every catalogue track is a candidate: one exact search per track, seconds of work on a large catalogue.</summary>
    public bool IsExpensive => Genre.Length == 0;

    public void Validate()
    {
        if (K is < 1 or > MaxK)
        {
            throw new InvalidInputException("k", $"must be between 1 and {MaxK}, got {K}");
        }

        if (Neighbours is < MinNeighbours or > MaxNeighbours)
        {
            throw new InvalidInputException("neighbours", $"must be between {MinNeighbours} and {MaxNeighbours}, got {Neighbours}");
        }

        // Empty means every genre; anything else is a label like a catalogue genre.
        if (Genre.Length > 0 && ClientText.KeyProblem(Genre, TrackValidator.MaxGenreLength) is { } problem)
        {
            throw new InvalidInputException("genre", problem);
        }
    }
}
