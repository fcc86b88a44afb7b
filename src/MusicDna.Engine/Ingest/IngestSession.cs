using MusicDna.Core.Tracks;
using MusicDna.Engine.Snapshots;

namespace MusicDna.Engine.Ingest;

/// <summary>
/// One ingest stream: numbers rows, rejects invalid ones without stopping, and commits valid rows in
/// transactions of up to <see cref="CommitSize"/> so that a client sending one track per message still gets
/// bulk speed. A full batch commits in the background while the next one is read and validated (one commit in
/// flight at a time, in order), so parsing and SQLite's durable commit use both cores. Rows never wait long for a
/// batch to fill: a commit of whatever is pending starts once the oldest pending row is <see cref="MaxRowWait"/> old
/// (checked every <see cref="MaxRowWait"/>), or as soon as the commit before it ends. A commit, once started, finishes
/// even if the stream breaks. Call <see cref="CompleteAsync"/> at the end of the stream to commit the rest; dispose
/// the session on every path so a commit still in flight finishes before the call ends.
/// </summary>
public sealed class IngestSession : IAsyncDisposable
{
    public const int CommitSize = 5000;
    public const int MaxReportedRejections = 100;

    /// <summary>Longest a valid row waits before its commit starts, unless the commit before it is still running.</summary>
    public static readonly TimeSpan MaxRowWait = TimeSpan.FromMilliseconds(100);

    private readonly ServingPublisher _publisher;
    private readonly EngineCounters _counters;
    private readonly List<Track> _pending = new(CommitSize);
    private readonly List<IngestRejection> _rejections = [];
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly CancellationTokenSource _stopTicking = new();
    private readonly Task _ticking;
    private long _received;
    private long _inserted;
    private long _updated;
    private long _rejected;
    private long _modelVersion;
    private long _oldestPending;
    private Task _committing = Task.CompletedTask;

    internal IngestSession(ServingPublisher publisher, EngineCounters counters)
    {
        _publisher = publisher;
        _counters = counters;
        _ticking = CommitAgedRowsAsync();
    }

    public async Task AddAsync(IReadOnlyList<IngestRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var row in rows)
            {
                var rowNumber = ++_received;
                var error = row.Error ?? (row.Track is { } track ? TrackValidator.Validate(track) : null);
                if (error is not null || row.Track is null)
                {
                    Reject(rowNumber, row.TrackId, error?.Field ?? "track", error?.Reason ?? "is missing");
                    continue;
                }

                if (_pending.Count == 0)
                {
                    _oldestPending = Environment.TickCount64;
                }

                _pending.Add(row.Track);
                if (_pending.Count == CommitSize)
                {
                    await StartCommitAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<IngestSummary> CompleteAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StartCommitAsync().ConfigureAwait(false);
            await _committing.ConfigureAwait(false);
            return new IngestSummary(_received, _inserted, _updated, _rejected, [.. _rejections], _modelVersion);
        }
        finally
        {
            _lock.Release();
        }
    }

    private void Reject(long rowNumber, string trackId, string field, string reason)
    {
        _rejected++;
        _counters.Rejected();
        if (_rejections.Count < MaxReportedRejections)
        {
            _rejections.Add(new IngestRejection(rowNumber, trackId, field, reason));
        }
    }

    /// <summary>Under the lock: waits for the commit in flight (its failure surfaces here), then starts the pending rows' commit.</summary>
    private async Task StartCommitAsync()
    {
        await _committing.ConfigureAwait(false);
        if (_pending.Count == 0)
        {
            return;
        }

        Track[] batch = [.. _pending];
        _pending.Clear();
        // On the thread pool: the catalogue's write runs synchronously once it holds the write gate, which would
        // otherwise keep this reader from the next message until the commit ends. Not cancellable once started.
        _committing = Task.Run(() => CommitAsync(batch));
    }

    /// <summary>Commits rows that have waited <see cref="MaxRowWait"/>, while the stream is quiet or slow.</summary>
    private async Task CommitAgedRowsAsync()
    {
        using var timer = new PeriodicTimer(MaxRowWait);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopTicking.Token).ConfigureAwait(false))
            {
                await _lock.WaitAsync(_stopTicking.Token).ConfigureAwait(false);
                try
                {
                    // A commit in flight is awaited by the next one anyway; never stall the reader behind it here.
                    if (_pending.Count > 0 && _committing.IsCompleted
                        && Environment.TickCount64 - _oldestPending >= MaxRowWait.TotalMilliseconds)
                    {
                        await StartCommitAsync().ConfigureAwait(false);
                    }
                }
                finally
                {
                    _lock.Release();
                }
            }
        }
        catch (OperationCanceledException) when (_stopTicking.IsCancellationRequested)
        {
            // The session is over.
        }
        catch (Exception)
        {
            // A failed commit surfaces to the stream at its next AddAsync or CompleteAsync; stop committing here.
        }
    }

    private async Task CommitAsync(Track[] batch)
    {
        using var activity = EngineTracing.Source.StartActivity("musicdna.ingest.commit");
        activity?.SetTag("musicdna.tracks", batch.Length);
        var outcome = await _publisher.IngestAsync(batch, CancellationToken.None).ConfigureAwait(false);
        _counters.Ingested(outcome.Inserted + outcome.Updated);
        activity?.SetTag("musicdna.inserted", outcome.Inserted);
        activity?.SetTag("musicdna.updated", outcome.Updated);
        activity?.SetTag("musicdna.model_version", outcome.ModelVersion);
        _inserted += outcome.Inserted;
        _updated += outcome.Updated;
        _modelVersion = outcome.ModelVersion;
    }

    /// <summary>
    /// Lets a commit still in flight finish. Its failure is not rethrown here: on the success path
    /// <see cref="CompleteAsync"/> has already surfaced it, and on a failure path the stream's own error is the one
    /// the caller should see.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _stopTicking.CancelAsync().ConfigureAwait(false);
        await _ticking.ConfigureAwait(false);
        try
        {
            await _committing.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Observed; see the summary.
        }

        _stopTicking.Dispose();
        _lock.Dispose();
    }
}
