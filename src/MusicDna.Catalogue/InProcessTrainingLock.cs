namespace MusicDna.Catalogue;

/// <summary>The training lock of an embedded catalogue: one process owns the file, so the process's own rule is the whole rule.</summary>
public sealed class InProcessTrainingLock : ITrainingLock, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken = default) =>
        await _gate.WaitAsync(0, cancellationToken).ConfigureAwait(false) ? new Release(_gate) : null;

    public void Dispose() => _gate.Dispose();

    private sealed class Release(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
