namespace MusicDna.Server.Methods;

/// <summary>What one RPC requires of its caller and how long it may run.</summary>
public sealed record MethodRule(CallerRole Role, CallDuration Duration);
