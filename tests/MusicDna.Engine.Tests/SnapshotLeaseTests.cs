using System.Collections.Concurrent;
using MusicDna.Core.Errors;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Tests;

[Collection(TorchTests.Name)]
public sealed class SnapshotLeaseTests(SnapshotFixture fixture)
{
    private const int Readers = 4;
    private const int ReadsPerReader = 250;
    private const int Publishes = 24;
    private const int TracksPerSnapshot = 64;

    [Fact]
    public void Acquire_with_nothing_published_fails_with_no_model()
    {
        using var holder = new ModelSnapshotHolder();

        var error = Assert.Throws<PreconditionFailedException>(holder.Acquire);

        Assert.Equal("NO_MODEL", error.Reason);
        Assert.Null(holder.TryAcquire());
        Assert.Equal(0, holder.CurrentVersion);
    }

    [Fact]
    public void A_retired_snapshot_serves_its_leases_until_the_last_is_released_then_is_disposed()
    {
        var first = fixture.NewSnapshot(1, TracksPerSnapshot, seed: 1);
        var second = fixture.NewSnapshot(2, TracksPerSnapshot, seed: 2);
        using var holder = new ModelSnapshotHolder();
        holder.Publish(first);
        var query = new float[first.LatentSize];
        query[0] = 1;
        var one = holder.Acquire();
        var other = holder.Acquire();

        holder.Publish(second);

        using (var current = holder.Acquire())
        {
            Assert.Same(second, current.Snapshot);
        }

        Assert.Same(first, one.Snapshot);
        Assert.NotEmpty(first.Index.Search(query, 5));

        // A lease released twice gives back one reference: the other lease still holds the snapshot.
        one.Dispose();
        one.Dispose();
        Assert.NotEmpty(first.Index.Search(query, 5));
        Assert.NotEmpty(first.EmbedUnit(TestTracks.Features(new Random(1))));

        other.Dispose();
        Assert.Throws<ObjectDisposedException>(() => first.Index.Search(query, 5));
        Assert.Throws<ObjectDisposedException>(() => first.EmbedUnit(TestTracks.Features(new Random(1))));
        Assert.NotEmpty(second.Index.Search(query, 5));
    }

    [Fact]
    public void Disposing_the_holder_retires_the_serving_snapshot_and_leaves_no_model()
    {
        var snapshot = fixture.NewSnapshot(1, TracksPerSnapshot, seed: 3);
        var holder = new ModelSnapshotHolder();
        holder.Publish(snapshot);
        var query = new float[snapshot.LatentSize];
        query[1] = 1;

        holder.Dispose();

        Assert.Throws<ObjectDisposedException>(() => snapshot.Index.Search(query, 5));
        Assert.Equal("NO_MODEL", Assert.Throws<PreconditionFailedException>(holder.Acquire).Reason);
    }

    [Fact]
    public void Readers_never_see_a_disposed_snapshot_while_new_ones_are_published_and_every_retired_one_is_disposed()
    {
        // All snapshots are built up front (loading an encoder is the slow part), so publishing is only the swap.
        var snapshots = Enumerable.Range(0, Publishes + 1)
            .Select(v => fixture.NewSnapshot(v + 1, TracksPerSnapshot, seed: 100 + v)).ToArray();
        var holder = new ModelSnapshotHolder();
        try
        {
            holder.Publish(snapshots[0]);
            var failures = new ConcurrentQueue<Exception>();
            var versionsSeen = new ConcurrentDictionary<long, bool>();
            var reads = 0;
            var published = 0;
            var readersRunning = Readers;

            // Readers and the publisher keep step (each publish after `step` more reads, readers at most a step
            // ahead), so the publishes land among the reads however the threads are scheduled; counts bound both.
            const int step = Readers * ReadsPerReader / (Publishes + 1);

            void Read(int reader)
            {
                try
                {
                    var random = new Random(reader);
                    for (var i = 0; i < ReadsPerReader; i++)
                    {
                        SpinWait.SpinUntil(() =>
                            Volatile.Read(ref reads) < (Volatile.Read(ref published) + 1) * step || Volatile.Read(ref published) == Publishes);
                        using var lease = holder.Acquire();
                        var snapshot = lease.Snapshot;
                        versionsSeen[snapshot.Version] = true;
                        var query = TestTracks.Vectors(1, snapshot.LatentSize, random.Next());
                        var hits = snapshot.Index.Search(query, 8);
                        Assert.Equal(8, hits.Count);
                        Assert.All(hits, hit => Assert.True(snapshot.Tracks.TryGet(hit.Id, out _)));
                        if (i % 10 == 0)
                        {
                            Assert.Equal(snapshot.LatentSize, snapshot.EmbedUnit(TestTracks.Features(random)).Length);
                        }

                        // The count moves between two searches under one lease, so publishes happen while leases are held.
                        Interlocked.Increment(ref reads);
                        Assert.Equal(8, snapshot.Index.Search(query, 8).Count);
                    }
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                }
                finally
                {
                    Interlocked.Decrement(ref readersRunning);
                }
            }

            void PublishAll()
            {
                try
                {
                    for (var i = 1; i <= Publishes; i++)
                    {
                        var target = i * step;
                        SpinWait.SpinUntil(() => Volatile.Read(ref reads) >= target || Volatile.Read(ref readersRunning) == 0);
                        holder.Publish(snapshots[i]);
                        Volatile.Write(ref published, i);
                    }
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                    Volatile.Write(ref published, Publishes); // lets the readers finish instead of waiting for it
                }
            }

            var threads = Enumerable.Range(0, Readers).Select(r => new Thread(() => Read(r))).Append(new Thread(PublishAll)).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            Assert.Empty(failures);
            Assert.Equal(Readers * ReadsPerReader, reads);
            Assert.True(versionsSeen.Count > Publishes / 2, $"readers saw only {versionsSeen.Count} versions");
            var query = new float[fixture.LatentSize];
            query[2] = 1;
            foreach (var retired in snapshots[..^1])
            {
                Assert.Throws<ObjectDisposedException>(() => retired.Index.Search(query, 1));
                Assert.Throws<ObjectDisposedException>(() => retired.EmbedUnit(TestTracks.Features(new Random(2))));
            }

            using var last = holder.Acquire();
            Assert.Same(snapshots[^1], last.Snapshot);
            Assert.NotEmpty(last.Snapshot.Index.Search(query, 1));
        }
        finally
        {
            holder.Dispose();
            foreach (var snapshot in snapshots)
            {
                snapshot.Dispose(); // idempotent: frees any a failed run left unpublished
            }
        }
    }
}
