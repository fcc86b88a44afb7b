using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>TLS from configuration alone (a certificate path and password), with a self-signed certificate made here.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task The_server_serves_over_TLS_with_the_configured_certificate_and_a_client_that_trusts_it_connects()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Path.Combine(_data.Path, "server.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test-password"));

        var port = LoopbackPort.Free();
        await using var server = await ServerProcess.StartAsync(Path.Combine(_data.Path, "data"), port,
            $"Kestrel:Endpoints:Grpc:Url=https://127.0.0.1:{port}",
            $"Kestrel:Endpoints:Grpc:Certificate:Path={pfx}",
            "Kestrel:Endpoints:Grpc:Certificate:Password=test-password");

        string? presented = null;
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // Trust exactly this certificate (pinning), as a client of a self-signed server would.
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    presented = cert?.GetCertHashString();
                    return presented == certificate.GetCertHashString();
                },
            },
        };
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{port}", new GrpcChannelOptions { HttpHandler = handler });
        var summary = await new MusicDnaService.MusicDnaServiceClient(channel).IngestAsync(SampleCatalogue.Slice(5));

        Assert.Equal(5, summary.Inserted);
        Assert.Equal(certificate.GetCertHashString(), presented);
    }
}
