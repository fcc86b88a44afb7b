using MusicDna.Model;

namespace MusicDna.Engine.Training;

/// <summary>One event of a training run, in order: zero or more <see cref="EpochCompleted"/>, then one <see cref="ModelPublished"/>.</summary>
public abstract record TrainingEvent;

/// <summary>An epoch finished, with its losses.</summary>
public sealed record EpochCompleted(EpochProgress Progress) : TrainingEvent;

/// <summary>The run's model is published and serving: always the last event.</summary>
public sealed record ModelPublished(TrainingOutcome Outcome) : TrainingEvent;
