using System.Reflection;
using MusicDna.Contracts.V1;

namespace MusicDna.Client.Tests;

/// <summary>The typed client keeps up with the contract: every RPC of the service has its method on <see cref="MusicDnaClient"/>.</summary>
public sealed class ClientCoverageTests
{
    // RPC name → the typed client's method. A new RPC fails the first test until the client (and this table) grows.
    private static readonly Dictionary<string, string> Wrappers = new(StringComparer.Ordinal)
    {
        ["Train"] = nameof(MusicDnaClient.TrainAsync),
        ["Embed"] = nameof(MusicDnaClient.EmbedAsync),
        ["Recommend"] = nameof(MusicDnaClient.RecommendAsync),
        ["FindGenreBenders"] = nameof(MusicDnaClient.FindGenreBendersAsync),
        ["BulkIngest"] = nameof(MusicDnaClient.IngestAsync),
        ["OrderPlaylist"] = nameof(MusicDnaClient.OrderPlaylistAsync),
        ["Bridge"] = nameof(MusicDnaClient.BridgeAsync),
        ["SearchTracks"] = nameof(MusicDnaClient.SearchTracksAsync),
        ["GetSonicMap"] = nameof(MusicDnaClient.GetSonicMapAsync),
        ["DeleteTracks"] = nameof(MusicDnaClient.DeleteTracksAsync),
    };

    [Fact]
    public void Every_rpc_of_the_service_has_a_typed_client_method()
    {
        var rpcs = MusicDnaService.Descriptor.Methods.Select(m => m.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(rpcs, Wrappers.Keys.Order(StringComparer.Ordinal).ToList());
        var methods = typeof(MusicDnaClient).GetMethods(BindingFlags.Public | BindingFlags.Instance).Select(m => m.Name).ToHashSet();
        Assert.All(Wrappers, pair => Assert.Contains(pair.Value, methods));
    }

    [Fact]
    public void Each_typed_method_takes_the_rpcs_request_and_a_cancellation_token()
    {
        foreach (var rpc in MusicDnaService.Descriptor.Methods.Where(m => !m.IsClientStreaming))
        {
            var request = rpc.InputType.ClrType;
            var method = typeof(MusicDnaClient).GetMethods().Single(m =>
                m.Name == Wrappers[rpc.Name] && m.GetParameters() is [var first, .., var last]
                && (first.ParameterType == request || first.ParameterType.IsAssignableTo(typeof(IEnumerable<AudioFeatures>)))
                && last.ParameterType == typeof(CancellationToken));
            Assert.True(method.GetParameters()[^1].HasDefaultValue, $"{method.Name}: the cancellation token should be optional");
        }
    }
}
