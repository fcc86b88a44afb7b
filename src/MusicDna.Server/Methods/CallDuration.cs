namespace MusicDna.Server.Methods;

/// <summary>How long a call may run.</summary>
public enum CallDuration
{
    /// <summary>A read call: bounded by <c>MusicDna:Limits:ReadCallTimeout</c> whatever deadline the caller set.</summary>
    Bounded,

    /// <summary>Runs as long as its work (training, a load): bounded only by the caller's deadline.</summary>
    LongRunning,
}
