using MusicDna.Model;

namespace MusicDna.Engine.Training;

/// <summary>A model that now serves: its stored manifest and how many catalogue tracks its index holds.</summary>
public sealed record TrainingOutcome(ModelManifest Manifest, long TracksIndexed);
