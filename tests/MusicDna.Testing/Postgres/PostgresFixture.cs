using Xunit;

namespace MusicDna.Testing;

/// <summary>
/// One private PostgreSQL server for a test collection (its classes run one after another, so a test that restarts
/// the server disturbs no other), stopped when the collection ends, whether its tests passed or failed.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture has not started.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
