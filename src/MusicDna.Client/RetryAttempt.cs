namespace MusicDna.Client;

/// <summary>A retry about to happen: its number (1 = first retry), the delay before it, and what failed.</summary>
public sealed record RetryAttempt(int Number, TimeSpan Delay, Exception? Failure);
