using System.Text;
using Grpc.Core;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>
/// The server's own log, as an operator reads it (the real process with its shipped logging settings): a client's bad
/// input costs a bounded number of bytes, never a stack trace, and never writes the client's control characters.
/// </summary>
public sealed class LogHygieneTests : IDisposable
{
    private static readonly Marshaller<byte[]> RawBytes = Marshallers.Create(b => b, b => b);

    private readonly TempDirectory _data = new("musicdna-e2e-");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Hundreds_of_malformed_and_hostile_requests_grow_the_log_by_a_bounded_amount_with_nothing_raw()
    {
        await using var server = await ServerProcess.StartAsync(_data.Path);
        await server.Client.IngestAsync(SampleCatalogue.Slice(200));
        await server.Client.TrainAsync(new TrainRequest { Epochs = 1 });
        var earlier = server.Output;
        var before = Encoding.UTF8.GetByteCount(earlier);

        const int Requests = 600;
        var invoker = server.Channel.CreateCallInvoker();
        var recommend = new Method<byte[], byte[]>(MethodType.ServerStreaming, "musicdna.v1.MusicDnaService", "Recommend", RawBytes, RawBytes);
        var refused = 0;
        for (var i = 0; i < Requests; i++)
        {
            try
            {
                switch (i % 3)
                {
                    case 0: // one byte that is no protobuf message
                        using (var call = invoker.AsyncServerStreamingCall(recommend, null, new CallOptions(), [0xff]))
                        {
                            await call.ResponseStream.MoveNext(CancellationToken.None);
                        }

                        break;
                    case 1: // an id forging a log line and a terminal colour
                        await server.Client.RecommendAsync(new RecommendRequest { TrackId = $"probe{i}\r\n12:00:00 fail: forged\u001b[31m\0" });
                        break;
                    default: // an unknown, harmless-looking id: NOT_FOUND
                        await server.Client.RecommendAsync(new RecommendRequest { TrackId = $"no-such-track-{i}" });
                        break;
                }
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound)
            {
                refused++;
            }
        }

        await Task.Delay(200); // let the last lines, if any, reach the captured output
        var log = server.Output;
        var grown = Encoding.UTF8.GetByteCount(log) - before;
        Assert.Equal(Requests, refused);
        Assert.True(grown <= 16 * Requests, $"the log grew by {grown} bytes for {Requests} refused requests:\n{log[^Math.Min(log.Length, 2000)..]}");
        Assert.DoesNotContain("   at ", log[earlier.Length..], StringComparison.Ordinal);
        Assert.DoesNotContain("forged", log, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', log);
        Assert.DoesNotContain('\0', log);
    }
}
