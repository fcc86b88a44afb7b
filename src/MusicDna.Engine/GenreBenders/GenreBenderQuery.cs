using MusicDna.Core.Errors;

namespace MusicDna.Engine.GenreBenders;

/// <summary>Which tracks to score as genre benders (one genre, or "" for all), how many to return, how many neighbours count.</summary>
public sealed record GenreBenderQuery(string Genre, int K = GenreBenderQuery.DefaultK, int Neighbours = GenreBenderQuery.DefaultNeighbours)
{
    public const int DefaultK = 10;
    public const int MaxK = 1000;
    public const int DefaultNeighbours = 20;
    public const int MinNeighbours = 2;
    public const int MaxNeighbours = 200;

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

        if (Genre.Length > 100)
        {
            throw new InvalidInputException("genre", "at most 100 characters");
        }
    }
}
