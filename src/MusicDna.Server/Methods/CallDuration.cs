namespace MusicDna.Server.Methods;

/// <summary>How long a call may run.</summary>
public enum CallDuration
{
    /// <summary>A read call: bounded by <c>MusicDna:Limits:ReadCallTimeout</c> whatever deadline the caller set.</summary>
    Bounded,

    /// <summary>
    /// A write call bounded like a read through its cancellation token; once it has finished it is answered even past
    /// the limit, since what it changed is committed and a refusal would say otherwise.
    /// </summary>
    BoundedWrite,

    /// <summary>Runs as long as its work (training, a load): bounded only by the caller's deadline.</summary>
    LongRunning,
}
