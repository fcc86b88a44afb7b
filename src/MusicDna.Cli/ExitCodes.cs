namespace MusicDna.Cli;

/// <summary>Exit codes scripts can rely on.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int CallFailed = 1;   // the server answered with an error status
    public const int Usage = 2;        // bad arguments (System.CommandLine's own parse errors also exit 1 or 2)
    public const int Unreachable = 3;  // no server at the address
}
