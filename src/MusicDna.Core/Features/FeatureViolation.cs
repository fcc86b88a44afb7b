namespace MusicDna.Core.Features;

/// <summary>Why an input value was refused: the field it sits in and a reason a person can act on.</summary>
public sealed record FeatureViolation(string Field, string Reason);
