using MusicDna.Index.Interop;

namespace MusicDna.Index.Tests;

[Collection(NativeTests.Collection)]
public sealed class VectorIndexValidationTests
{
    [Fact]
    public void Constructor_rejects_a_dimension_below_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorIndex(0));
    }

    [Fact]
    public void Upsert_rejects_a_vector_length_that_does_not_match_ids_times_dimension()
    {
        using var index = new VectorIndex(3);

        Assert.Throws<ArgumentException>(() => index.Upsert([1, 2], new float[5]));
        Assert.Equal(0, index.Count);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Upsert_and_Search_reject_non_finite_values(float bad)
    {
        using var index = new VectorIndex(2);

        Assert.Throws<ArgumentException>(() => index.Upsert([1], [1, bad]));
        Assert.Throws<ArgumentException>(() => index.Search([bad, 1], 1));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Upsert_rejects_the_reserved_id_minus_one()
    {
        using var index = new VectorIndex(2);

        var error = Assert.Throws<ArgumentException>(() => index.Upsert([1, -1], [1, 0, 0, 1]));

        Assert.Equal("ids", error.ParamName);
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Search_rejects_a_query_of_the_wrong_dimension()
    {
        using var index = new VectorIndex(3);

        Assert.Throws<ArgumentException>(() => index.Search([1, 2], 1));
        Assert.Throws<ArgumentException>(() => index.SearchMany([1, 2, 3, 4], 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Search_rejects_k_below_one(int k)
    {
        using var index = new VectorIndex(2);
        index.Upsert([1], [1, 0]);

        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search([1, 0], k));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.SearchMany([1, 0], k));
    }

    [Fact]
    public void TryGetVector_rejects_a_destination_of_the_wrong_dimension()
    {
        using var index = new VectorIndex(3);

        Assert.Throws<ArgumentException>(() => index.TryGetVector(1, new float[2]));
    }

    [Fact]
    public void SetThreads_rejects_fewer_than_one_thread_and_accepts_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorIndex.SetThreads(0));
        VectorIndex.SetThreads(1);
    }

    [Fact]
    public void A_failed_native_call_surfaces_as_FaissException_with_the_shims_status_and_message()
    {
        var error = Assert.Throws<FaissException>(() => NativeMethods.ThrowIfFailed(NativeMethods.SetThreads(0)));

        Assert.Equal(NativeStatus.InvalidArgument, error.Status);
        Assert.Equal("threads must be >= 1", error.NativeMessage);
    }

    [Fact]
    public void Dispose_twice_is_harmless()
    {
        var index = new VectorIndex(2);

        index.Dispose();
        index.Dispose();
    }

    [Fact]
    public void Every_member_throws_ObjectDisposedException_after_Dispose()
    {
        var index = new VectorIndex(2);
        index.Upsert([1], [1, 0]);
        index.Dispose();

        Assert.Throws<ObjectDisposedException>(() => index.Count);
        Assert.Throws<ObjectDisposedException>(() => index.Upsert([2], [0, 1]));
        Assert.Throws<ObjectDisposedException>(() => index.Upsert([], []));
        Assert.Throws<ObjectDisposedException>(() => index.Remove([1]));
        Assert.Throws<ObjectDisposedException>(() => index.TryGetVector(1, new float[2]));
        Assert.Throws<ObjectDisposedException>(() => index.Search([1, 0], 1));
        Assert.Throws<ObjectDisposedException>(() => index.SearchMany([1, 0], 1));
    }
}
