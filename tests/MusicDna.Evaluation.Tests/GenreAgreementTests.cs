using MusicDna.Evaluation;

namespace MusicDna.Evaluation.Tests;

public sealed class GenreAgreementTests
{
    // Two directions, each with a same-genre close neighbour and an other-genre slightly farther one:
    // row 0 (1, 0) g0: row 1 (3, 0.3) g0 at cos 0.995, then row 2 (0.5, 0.1) g1 at cos 0.981.
    // row 3 (0, 1) g1: row 4 (0.2, 2) g1 at cos 0.995, then row 5 (0.1, 0.5) g0 at cos 0.981.
    // row 2 (0.5, 0.1) g1: nearest is row 1 (cos 0.9952, g0), just ahead of row 0 (cos 0.9806).
    private static readonly float[] Rows = [1, 0, 3, 0.3f, 0.5f, 0.1f, 0, 1, 0.2f, 2, 0.1f, 0.5f];
    private static readonly int[] Genres = [0, 0, 1, 1, 1, 0];

    [Fact]
    public void Agreement_at_one_is_the_share_of_queries_whose_nearest_track_shares_their_genre()
    {
        // Queries 0 and 3 agree, query 2 does not: 2/3.
        Assert.Equal(2.0 / 3.0, GenreAgreement.AtK(Rows, 2, Genres, [0, 2, 3], 1), 12);
    }

    [Fact]
    public void Agreement_at_two_counts_each_neighbour_of_each_query()
    {
        // Query 0: rows 1 (g0) and 2 (g1) → 1/2; query 3: rows 4 (g1) and 5 (g0) → 1/2.
        Assert.Equal(0.5, GenreAgreement.AtK(Rows, 2, Genres, [0, 3], 2), 12);
    }

    [Fact]
    public void Neighbours_are_ranked_by_cosine_so_vector_length_does_not_matter()
    {
        var scaled = Rows.ToArray();
        for (var i = 0; i < scaled.Length; i += 2)
        {
            var factor = (i / 2) + 1;
            scaled[i] *= factor;
            scaled[i + 1] *= factor;
        }

        Assert.Equal(2.0 / 3.0, GenreAgreement.AtK(scaled, 2, Genres, [0, 2, 3], 1), 12);
    }

    [Fact]
    public void The_query_itself_is_never_its_own_neighbour()
    {
        // Row 1 is an exact copy of row 0 with another genre: it is query 0's nearest, so agreement is 0.
        float[] rows = [1, 0, 1, 0, 0, 1];

        Assert.Equal(0.0, GenreAgreement.AtK(rows, 2, [0, 1, 0], [0], 1), 12);
    }
}
