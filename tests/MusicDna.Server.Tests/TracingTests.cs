using System.Collections.Concurrent;
using System.Diagnostics;
using MusicDna.Contracts.V1;
using MusicDna.Engine;

namespace MusicDna.Server.Tests;

/// <summary>Calls are traced: the caller's trace continues into the server's request span and the engine's span.</summary>
public sealed class TracingTests(TrainedServerFixture fixture) : IClassFixture<TrainedServerFixture>
{
    [Fact]
    public async Task A_Recommend_call_continues_the_callers_trace_with_a_request_span_holding_a_tagged_engine_span()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is EngineTracing.SourceName or "Microsoft.AspNetCore" or "MusicDna.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var tests = new ActivitySource("MusicDna.Tests");

        ActivityTraceId trace;
        using (var caller = tests.StartActivity("caller"))
        {
            Assert.NotNull(caller);
            trace = caller.TraceId;
            await fixture.Server.Client.RecommendPageAsync(new RecommendRequest { TrackId = fixture.Catalogue[0].TrackId, K = 7 });
        }

        Activity? Find(Func<Activity, bool> match) => stopped.FirstOrDefault(a => a.TraceId == trace && match(a));
        Assert.True(await Poll.UntilAsync(
            () => Find(a => a.OperationName == "musicdna.recommend") is not null && Find(a => a.Source.Name == "Microsoft.AspNetCore") is not null,
            TimeSpan.FromSeconds(10)), "no recommend and request spans in the caller's trace");

        var request = Find(a => a.Source.Name == "Microsoft.AspNetCore")!;
        var engine = Find(a => a.OperationName == "musicdna.recommend")!;
        Assert.Equal(ActivityKind.Server, request.Kind);
        Assert.Equal(request.SpanId, engine.ParentSpanId);
        Assert.Equal(7, engine.GetTagItem("musicdna.returned"));
        Assert.Equal(fixture.Model.ModelVersion, engine.GetTagItem("musicdna.model_version"));
        Assert.Equal(ActivityStatusCode.Unset, engine.Status);
    }
}
