using Grpc.Core;
using Microsoft.Extensions.Options;
using MusicDna.Contracts.V1;
using MusicDna.Core.Errors;
using MusicDna.Server.Methods;
using MusicDna.Server.Security;

namespace MusicDna.Server.Tests;

/// <summary>Every RPC declares its role and time limit in one table, and anything the table does not know is refused.</summary>
public sealed class MethodRulesTests
{
    [Fact]
    public void Every_rpc_of_the_service_has_a_declared_role_and_time_limit()
    {
        var rules = MethodRules.ForMusicDnaService();
        foreach (var rpc in MusicDnaService.Descriptor.Methods)
        {
            var rule = rules.Find($"/musicdna.v1.MusicDnaService/{rpc.Name}");
            Assert.NotNull(rule);
            Assert.True(Enum.IsDefined(rule.Role) && Enum.IsDefined(rule.Duration), rpc.Name);
        }
    }

    [Fact]
    public void The_writes_need_admin_and_run_long_while_the_reads_need_reader_and_are_bounded()
    {
        var rules = MethodRules.MusicDnaService;
        Assert.Equal(new MethodRule(CallerRole.Admin, CallDuration.LongRunning), rules["Train"]);
        Assert.Equal(new MethodRule(CallerRole.Admin, CallDuration.LongRunning), rules["BulkIngest"]);
        Assert.Equal(new MethodRule(CallerRole.Admin, CallDuration.BoundedWrite), rules["DeleteTracks"]);
        Assert.All(["Embed", "Recommend", "FindGenreBenders", "SearchTracks", "GetSonicMap", "OrderPlaylist", "Bridge"], rpc => Assert.Equal(new MethodRule(CallerRole.Reader, CallDuration.Bounded), rules[rpc]));
    }

    [Fact]
    public void An_rpc_without_a_rule_stops_the_server_from_starting()
    {
        var incomplete = MethodRules.MusicDnaService.Where(r => r.Key != "Recommend").ToDictionary();
        var error = Assert.Throws<InvalidOperationException>(() => new MethodRules(MusicDnaService.Descriptor, incomplete));
        Assert.Contains("Recommend", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_for_an_rpc_the_service_lacks_is_refused()
    {
        var extra = new Dictionary<string, MethodRule>(MethodRules.MusicDnaService) { ["DropEverything"] = new(CallerRole.Reader, CallDuration.Bounded) };
        var error = Assert.Throws<InvalidOperationException>(() => new MethodRules(MusicDnaService.Descriptor, extra));
        Assert.Contains("DropEverything", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AuthMode.Disabled)]
    [InlineData(AuthMode.ApiKeys)]
    public async Task A_method_the_table_does_not_know_is_refused_not_allowed(AuthMode mode)
    {
        var keys = new ApiKeyRegistry(Options.Create(new AuthOptions { Mode = mode }));
        var interceptor = new AuthInterceptor(keys, MethodRules.ForMusicDnaService());
        var called = false;
        var error = await Assert.ThrowsAsync<PermissionDeniedException>(() => interceptor.UnaryServerHandler<Empty, Empty>(
            new Empty(), new CallContext("/musicdna.v1.MusicDnaService/DropEverything"), (_, _) =>
            {
                called = true;
                return Task.FromResult(new Empty());
            }));

        Assert.False(called);
        Assert.Equal("METHOD_NOT_DECLARED", error.Reason);
    }

    [Fact]
    public async Task A_declared_method_passes_when_authentication_is_disabled()
    {
        var keys = new ApiKeyRegistry(Options.Create(new AuthOptions { Mode = AuthMode.Disabled }));
        var interceptor = new AuthInterceptor(keys, MethodRules.ForMusicDnaService());
        var response = await interceptor.UnaryServerHandler<Empty, Empty>(
            new Empty(), new CallContext("/musicdna.v1.MusicDnaService/Embed"), (request, _) => Task.FromResult(request));
        Assert.NotNull(response);
    }

    private sealed class Empty;

    /// <summary>The least of a server call the interceptor reads: its method and its headers.</summary>
    private sealed class CallContext(string method) : ServerCallContext
    {
        protected override string MethodCore => method;

        protected override string HostCore => "127.0.0.1";

        protected override string PeerCore => "ipv4:127.0.0.1:1";

        protected override DateTime DeadlineCore => DateTime.MaxValue;

        protected override Metadata RequestHeadersCore { get; } = [];

        protected override CancellationToken CancellationTokenCore => CancellationToken.None;

        protected override Metadata ResponseTrailersCore { get; } = [];

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore => new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
