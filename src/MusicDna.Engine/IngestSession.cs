using MusicDna.Core.Tracks;

namespace MusicDna.Engine;

/// <summary>
/// One ingest stream: numbers rows, rejects invalid ones without stopping, and commits valid rows in
/// transactions of up to <see cref="CommitSize"/> so that a client sending one track per message still gets
/// bulk speed. Call <see cref="CompleteAsync"/> at the end of the stream to commit the rest.
/// </summary>
public sealed class IngestSession(CatalogueIndexer indexer)
{
    public const int CommitSize = 5000;
    public const int MaxReportedRejections = 100;

    private readonly List<Track> _pending = new(CommitSize);
    private readonly List<IngestRejection> _rejections = [];
    private long _received;
    private long _inserted;
    private long _updated;
    private long _rejected;
    private long _modelVersion;

    public async Task AddAsync(IReadOnlyList<IngestRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            var rowNumber = ++_received;
            var error = row.Error ?? (row.Track is { } track ? TrackValidator.Validate(track) : null);
            if (error is not null || row.Track is null)
            {
                Reject(rowNumber, row.TrackId, error?.Field ?? "track", error?.Reason ?? "is missing");
                continue;
            }

            _pending.Add(row.Track);
            if (_pending.Count == CommitSize)
            {
                await CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<IngestSummary> CompleteAsync(CancellationToken cancellationToken)
    {
        await CommitAsync(cancellationToken).ConfigureAwait(false);
        return new IngestSummary(_received, _inserted, _updated, _rejected, [.. _rejections], _modelVersion);
    }

    private void Reject(long rowNumber, string trackId, string field, string reason)
    {
        _rejected++;
        if (_rejections.Count < MaxReportedRejections)
        {
            _rejections.Add(new IngestRejection(rowNumber, trackId, field, reason));
        }
    }

    private async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        using var activity = EngineTracing.Source.StartActivity("musicdna.ingest.commit");
        activity?.SetTag("musicdna.tracks", _pending.Count);
        var outcome = await indexer.IngestAsync([.. _pending], cancellationToken).ConfigureAwait(false);
        activity?.SetTag("musicdna.inserted", outcome.Inserted);
        activity?.SetTag("musicdna.updated", outcome.Updated);
        activity?.SetTag("musicdna.model_version", outcome.ModelVersion);
        _pending.Clear();
        _inserted += outcome.Inserted;
        _updated += outcome.Updated;
        _modelVersion = outcome.ModelVersion;
    }
}
