using MusicDna.Core.Tracks;

namespace MusicDna.Engine.Bridges;

/// <summary>One event of a bridge: a <see cref="BridgeStep"/>, or the <see cref="BridgeEnd"/>.</summary>
public abstract record BridgeEvent;

/// <summary>
/// A track of the bridge at <see cref="Position"/> (1-based, from A): its similarity to A and to B on the readable
/// scale, and the angle (radians) from the track before it (A for the first).
/// </summary>
public sealed record BridgeStep(int Position, Track Track, float ScoreToFrom, float ScoreToTo, double StepAngle) : BridgeEvent;

/// <summary>The end of a bridge: how many steps, the path's length from A through them to B, and A's angle to B.</summary>
public sealed record BridgeEnd(long ModelVersion, int Returned, double PathLength, double DirectAngle) : BridgeEvent;
