using System.CommandLine;
using MusicDna.Server.Hosting;

namespace MusicDna.Cli.Commands;

/// <summary>
/// `musicdna serve [server options]`: runs the MusicDna server in this process until Ctrl+C or SIGTERM. Every
/// token after `serve` goes to the server's configuration, e.g. `--MusicDna:DataDirectory=/var/lib/musicdna`.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command(
            "serve",
            "Run the MusicDna server here; further arguments are server configuration, e.g. --Kestrel:Endpoints:Grpc:Url=http://0.0.0.0:50051 --MusicDna:DataDirectory=./data (README, Configuration)")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((parse, _) => MusicDnaServerHost.RunAsync([.. parse.UnmatchedTokens]));
        return command;
    }
}
