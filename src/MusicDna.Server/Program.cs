using MusicDna.Server.Hosting;

return await MusicDnaServerHost.RunAsync(args);
