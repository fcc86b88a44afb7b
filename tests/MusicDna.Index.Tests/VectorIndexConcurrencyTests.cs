namespace MusicDna.Index.Tests;

[Collection(NativeTests.Collection)]
public sealed class VectorIndexConcurrencyTests
{
    private const int Dimension = 6;

    [Fact]
    public async Task Concurrent_searches_while_a_writer_upserts_see_whole_states_and_never_fail()
    {
        const int initial = 1_000;
        const int k = 20;
        const int writes = 100;
        using var index = new VectorIndex(Dimension);
        index.Upsert(
            Enumerable.Range(0, initial).Select(i => (long)i).ToArray(),
            RandomVectors.Rows(seed: 21, initial, Dimension));
        var queries = RandomVectors.Rows(seed: 22, 200, Dimension);

        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var lastCount = 0L;
            for (var i = 0; i < 200; i++)
            {
                var hits = index.Search(queries.AsSpan(i * Dimension, Dimension), k);
                Assert.Equal(k, hits.Count);
                Assert.Equal(k, hits.Select(hit => hit.Id).Distinct().Count());

                var count = index.Count;
                Assert.InRange(count, Math.Max(lastCount, initial), initial + writes);
                lastCount = count;
            }
        }));
        var writer = Task.Run(() =>
        {
            var rows = RandomVectors.Rows(seed: 23, 2, Dimension);
            for (var i = 0; i < writes; i++)
            {
                // One replaced id and one new id per write: the count grows by exactly one each time.
                index.Upsert([i, initial + i], rows);
            }
        });

        await Task.WhenAll([.. readers, writer]);

        Assert.Equal(initial + writes, index.Count);
    }
}
