using MusicDna.Server.Hosting;

// Content root = the build output, so appsettings.json and seed/ are found from any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddMusicDna();

var app = builder.Build();
if (!app.VerifyDataDirectory())
{
    return 1;
}

app.MapMusicDna();
app.Run();
return 0;

/// <summary>The entry point, visible to the end-to-end tests.</summary>
public partial class Program;
