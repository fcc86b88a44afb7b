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

    [Fact]
    public async Task An_inverted_file_index_serves_concurrent_searches_while_a_writer_upserts_and_removes_and_never_returns_a_removed_id()
    {
        const int initial = 3_000;
        const int k = 20;
        const int writes = 150;
        var data = RandomVectors.Clustered(seed: 24, initial, Dimension);
        using var index = InvertedFileIndexes.Build(data, RandomVectors.Ids(initial), lists: 32, probe: 2);
        using var filter = IdFilter.FromIds(RandomVectors.Ids(initial, first: 0, step: 10));
        var queries = data.AsSpan(0, 200 * Dimension).ToArray();

        // The writer removes ids 0, 1, 2, ... in order and publishes how many are gone once each Remove returns.
        var removedBelow = 0L;
        var readers = Enumerable.Range(0, 3).Select(reader => Task.Run(() =>
        {
            for (var i = 0; i < 300; i++)
            {
                var gone = Volatile.Read(ref removedBelow);
                var query = queries.AsSpan((i % 200) * Dimension, Dimension);
                var hits = reader == 0 ? index.Search(query, k, filter) : index.Search(query, k, SearchOptions.Default);
                Assert.Equal(k, hits.Count);
                Assert.Equal(k, hits.Select(hit => hit.Id).Distinct().Count());
                Assert.DoesNotContain(hits, hit => hit.Id < gone);
            }
        }));
        var writer = Task.Run(() =>
        {
            var rows = RandomVectors.Clustered(seed: 25, writes, Dimension);
            for (var i = 0; i < writes; i++)
            {
                index.Upsert([1_000_000 + i], rows.AsSpan(i * Dimension, Dimension));
                Assert.Equal(1, index.Remove([i]));
                Volatile.Write(ref removedBelow, i + 1);
            }
        });

        await Task.WhenAll([.. readers, writer]);

        Assert.Equal(initial, index.Count);
    }
}
