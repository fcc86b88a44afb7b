namespace MusicDna.Index.Tests;

[Collection(NativeTests.Collection)]
public sealed class VectorIndexMutationTests
{
    [Fact]
    public void Upsert_of_an_existing_id_replaces_its_vector_and_keeps_the_count()
    {
        using var index = new VectorIndex(3);
        index.Upsert([1, 2], [1, 0, 0, 0, 1, 0]);

        index.Upsert([1], [0, 0, 5]);

        Assert.Equal(2, index.Count);
        var stored = new float[3];
        Assert.True(index.TryGetVector(1, stored));
        Assert.Equal([0f, 0f, 1f], stored);
        Assert.DoesNotContain(index.Search([1, 0, 0], 2), hit => hit.Id == 1 && hit.Score > 0.5f);
    }

    [Fact]
    public void Upsert_with_an_id_repeated_in_one_call_keeps_its_last_row()
    {
        using var index = new VectorIndex(2);

        index.Upsert([7, 8, 7], [1, 0, 0, 1, -3, 0]);

        Assert.Equal(2, index.Count);
        var stored = new float[2];
        Assert.True(index.TryGetVector(7, stored));
        Assert.Equal([-1f, 0f], stored);
    }

    [Fact]
    public void Upsert_of_nothing_changes_nothing()
    {
        using var index = new VectorIndex(2);
        index.Upsert([1], [1, 0]);

        index.Upsert([], []);

        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Remove_deletes_present_ids_reports_how_many_and_ignores_absent_ones()
    {
        using var index = new VectorIndex(2);
        index.Upsert([1, 2, 3], [1, 0, 0, 1, 1, 1]);

        var removed = index.Remove([2, 3, 99]);

        Assert.Equal(2, removed);
        Assert.Equal(1, index.Count);
        Assert.Equal([1L], index.Search([0, 1], 10).Select(hit => hit.Id));
        Assert.False(index.TryGetVector(2, new float[2]));
    }

    [Fact]
    public void Remove_of_only_absent_ids_returns_zero_and_keeps_every_vector()
    {
        using var index = new VectorIndex(2);
        index.Upsert([1, 2], [1, 0, 0, 1]);

        Assert.Equal(0, index.Remove([3, 4]));

        Assert.Equal(2, index.Count);
        Assert.True(index.TryGetVector(2, new float[2]));
    }

    [Fact]
    public void Remove_of_an_id_given_twice_counts_it_once()
    {
        using var index = new VectorIndex(2);
        index.Upsert([1, 2], [1, 0, 0, 1]);

        Assert.Equal(1, index.Remove([1, 1]));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void TryGetVector_returns_the_normalised_vector_of_a_stored_id()
    {
        using var index = new VectorIndex(3);
        index.Upsert([42], [0, 3, 4]);
        var stored = new float[3];

        Assert.True(index.TryGetVector(42, stored));

        Assert.Equal([0f, 0.6f, 0.8f], stored);
    }

    [Fact]
    public void TryGetVector_returns_false_and_clears_the_destination_for_a_missing_id()
    {
        using var index = new VectorIndex(3);
        index.Upsert([42], [0, 3, 4]);
        float[] stored = [9, 9, 9];

        Assert.False(index.TryGetVector(43, stored));

        Assert.Equal([0f, 0f, 0f], stored);
    }

    [Fact]
    public void Vectors_added_after_a_removal_are_found_by_their_ids()
    {
        using var index = new VectorIndex(2);
        index.Upsert([1, 2, 3], [1, 0, 0, 1, -1, 0]);
        index.Remove([1]);

        index.Upsert([4], [0, -1]);

        var stored = new float[2];
        Assert.True(index.TryGetVector(3, stored));
        Assert.Equal([-1f, 0f], stored);
        Assert.Equal(4L, index.Search([0, -1], 1).Single().Id);
    }
}
