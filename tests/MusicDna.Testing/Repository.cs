namespace MusicDna.Testing;

/// <summary>The checkout the tests run from, and the build outputs of its projects in the tests' own configuration.</summary>
public static class Repository
{
    /// <summary>The folder holding MusicDna.sln, found upwards from the test's build output.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration this test build uses (…/bin/&lt;Configuration&gt;/net10.0/).</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>A file in a source project's build output, e.g. <c>BuildOutput("MusicDna.Server", "MusicDna.Server.dll")</c>.</summary>
    public static string BuildOutput(string project, string file) =>
        Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", file);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MusicDna.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No MusicDna.sln above {AppContext.BaseDirectory}");
    }
}
