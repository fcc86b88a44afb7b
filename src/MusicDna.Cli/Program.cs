using System.CommandLine;
using MusicDna.Cli;
using MusicDna.Cli.Commands;

var root = new RootCommand("musicdna: run a MusicDna server or talk to one (recommendations from the sonic DNA of tracks), and evaluate models locally.")
{
    CliOptions.Address,
    CliOptions.ApiKey,
    CliOptions.Json,
};
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(RecommendCommand.Create());
root.Subcommands.Add(EmbedCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(IngestCommand.Create());
root.Subcommands.Add(HealthCommand.Create());
root.Subcommands.Add(GenreBendersCommand.Create());
root.Subcommands.Add(OrderCommand.Create());
root.Subcommands.Add(BridgeCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
return await root.Parse(args).InvokeAsync();
